namespace Dialoog.Web.Participant;

/// <summary>A participant form with field errors (keys are the form's field names).</summary>
public interface IFormPage
{
    IReadOnlyDictionary<string, string[]> Errors { get; }

    string T(string key, params object?[] args);
}

/// <summary>What the _Field partial shows: one labelled text field.</summary>
public sealed record FieldView(IFormPage Page, string Name, string Label, string? Value, bool Multiline = false, string? Autocomplete = null, string Type = "text");

/// <summary>What the _Choices partial shows: radio buttons or tick boxes.</summary>
public sealed record ChoicesView(IFormPage Page, string Name, string Legend, IReadOnlyList<string> Options, IReadOnlyList<string> Selected, bool Radio);

/// <summary>What the _NextStep partial shows: "what happens next" in the page's language.</summary>
public sealed record NextStepView(ParticipantPageModel Page, string Text);

/// <summary>What the _Sessions partial shows: when and where each session is.</summary>
public sealed record SessionsView(ParticipantPageModel Page, IReadOnlyList<Dialoog.Core.Processes.SessionStatus> Sessions);
