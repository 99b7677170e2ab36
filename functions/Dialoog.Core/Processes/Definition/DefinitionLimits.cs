namespace Dialoog.Core.Processes.Definition;

/// <summary>Every limit the validator applies, in one place. Messages quote these numbers.</summary>
public static class DefinitionLimits
{
    public const int TopicLength = 200;
    public const int AreaLength = 200;
    public const int DescriptionLength = 4000;
    public const int TemplateNameLength = 100;

    public const int NameLength = 100;
    public const int GroupNameLength = 100;

    /// <summary>RFC 5321: a path is at most 256 octets including the angle brackets.</summary>
    public const int EmailLength = 254;

    public const int PhoneLength = PhoneNumbers.MaxLength;

    /// <summary>A postal address on one line: street, number, postcode and place.</summary>
    public const int PostalAddressLength = 200;

    public const int MinGroups = 1;
    public const int MaxGroups = 20;
    public const int MaxGroupMinimum = 500;

    public const int MinParticipants = 1;
    public const int MaxParticipants = 500;

    public const int MinSessions = 1;
    public const int MaxSessions = 20;
    public const int SessionIdLength = 40;
    public const int SessionTitleLength = 200;
    public const int LocationLength = 300;
    public const int OnlineLinkLength = 2000;
    public const int MinCapacity = 1;
    public const int MaxCapacity = 1000;
    public static readonly TimeSpan MaxSessionLength = TimeSpan.FromHours(24);

    public const int MaxReminders = 10;

    public const int MaxSignUpQuestions = 10;
    public const int SignUpQuestionLength = 300;
    public const int MaxSignUpChoices = 12;
    public const int SignUpChoiceLength = 100;

    /// <summary>What someone may write in their own words to one sign-up question.</summary>
    public const int SignUpAnswerLength = 1000;

    /// <summary>Upper bound for every duration in the policy: five years (of 365 days, as in <see cref="IsoDuration"/>).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(5 * 365);

    /// <summary>Personal data stays at least a day, so that a typo (PT1M) cannot remove it before the minutes are sent.</summary>
    public static readonly TimeSpan MinRetention = TimeSpan.FromDays(1);

    /// <summary>The longest a process stays open after its last minutes (policy.followUpWindow).</summary>
    public static readonly TimeSpan MaxFollowUpWindow = TimeSpan.FromDays(365);

    /// <summary>Relative session times in templates: how far ahead and how long.</summary>
    public const int MaxOffsetDays = 5 * 365;
    public const int MaxDurationMinutes = 24 * 60;
}
