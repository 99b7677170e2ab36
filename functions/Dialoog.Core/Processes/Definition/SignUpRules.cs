using static Dialoog.Core.Processes.Definition.DefinitionLimits;
using static Dialoog.Core.Processes.Definition.DutchText;

namespace Dialoog.Core.Processes.Definition;

/// <summary>
/// Checks one open sign-up (the public page and the API) against the process's <see cref="SignUpSettings"/>. Keys are
/// the form's fields (<c>name</c>, <c>group</c>, <c>email</c>, <c>phone</c>, <c>answers.{questionId}</c>); empty means valid.
/// </summary>
public static class SignUpRules
{
    /// <summary>The standard question of the templates: what someone needs to be able to take part.</summary>
    public static readonly SignUpQuestion NeedsQuestion = new("nodig", "Heeft u iets nodig om mee te kunnen doen?",
        ["toegankelijkheid (rolstoel, ringleiding)", "tolk of andere taal", "vervoer", "kinderopvang"]);

    public static IReadOnlyDictionary<string, string[]> Validate(
        ProcessDefinition definition, ParticipantDefinition person, IReadOnlyList<SignUpAnswer>? answers)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(person);
        var errors = new ValidationErrors();
        var open = definition.SignUp?.Groups ?? [];
        DefinitionRules.RequiredLine(errors, "name", person.Name, NameLength, "Vul uw naam in, zodat we weten wie er komt.", "uw naam");
        if (string.IsNullOrWhiteSpace(person.Group))
        {
            errors.Add("group", $"Kies bij welke groep u hoort: {List(open)}.");
        }
        else if (!open.Contains(person.Group.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            errors.Add("group", $"Voor de groep {Quote(person.Group)} kunt u zich hier niet aanmelden. Kies uit: {List(open)}.");
        }

        if (string.IsNullOrWhiteSpace(person.Email) && string.IsNullOrWhiteSpace(person.Phone))
        {
            errors.Add("email", "Vul uw e-mailadres of uw telefoonnummer in, zodat we u kunnen bereiken.");
        }

        // The form of the address and the phone number, and no phone number twice: the same rules as for invited
        // people. Name and group are said above in words for the person signing up.
        foreach (var (key, messages) in ProcessDefinitionValidator.ValidateAddedParticipants(definition, [person]))
        {
            var field = key.StartsWith("participants[0].", StringComparison.Ordinal) ? key["participants[0].".Length..] : key;
            if (field == "participants")
            {
                errors.Add("", "Er kunnen geen mensen meer bij dit gesprek. Er is niets opgeslagen.");
                continue;
            }

            if (field is not ("email" or "phone") || errors.Has(field))
            {
                continue;
            }

            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }

        ValidateAnswers(errors, definition.SignUp?.Questions ?? [], answers ?? []);
        return errors.ToDictionary();
    }

    private static void ValidateAnswers(ValidationErrors errors, IReadOnlyList<SignUpQuestion> questions, IReadOnlyList<SignUpAnswer> answers)
    {
        foreach (var answer in answers)
        {
            var key = "answers." + answer?.QuestionId;
            if (answer is null || questions.FirstOrDefault(q => string.Equals(q.Id, answer.QuestionId, StringComparison.OrdinalIgnoreCase)) is not { } question)
            {
                errors.Add("answers", "Een antwoord hoort bij een vraag die hier niet gesteld wordt. Laad de pagina opnieuw en probeer het nog eens.");
                continue;
            }

            var choices = question.Choices ?? [];
            foreach (var choice in answer.Choices ?? [])
            {
                if (!choices.Contains(choice?.Trim() ?? "", StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add(key, $"{Quote(choice)} is geen keuze bij deze vraag. Kies uit: {List(choices)}.");
                }
            }

            if (!string.IsNullOrEmpty(answer.Text))
            {
                if (!question.FreeText)
                {
                    errors.Add(key, "Bij deze vraag kunt u alleen kiezen, niet zelf iets schrijven.");
                }
                else
                {
                    DefinitionRules.OptionalText(errors, key, answer.Text, SignUpAnswerLength, "uw antwoord");
                }
            }
        }
    }

    /// <summary>Only answers that say something, tidied, in the order of the questions.</summary>
    public static IReadOnlyList<SignUpAnswer> Tidy(IReadOnlyList<SignUpQuestion> questions, IReadOnlyList<SignUpAnswer>? answers) =>
        [.. questions.Select(q => (q, a: (answers ?? []).FirstOrDefault(a => a is not null && string.Equals(a.QuestionId, q.Id, StringComparison.OrdinalIgnoreCase))))
            .Where(x => x.a is not null)
            .Select(x => new SignUpAnswer(x.q.Id,
                [.. (x.q.Choices ?? []).Where(c => (x.a!.Choices ?? []).Contains(c, StringComparer.OrdinalIgnoreCase))],
                string.IsNullOrWhiteSpace(x.a!.Text) ? null : x.a.Text.Trim()))
            .Where(a => a.Choices.Count > 0 || a.Text is not null)];
}
