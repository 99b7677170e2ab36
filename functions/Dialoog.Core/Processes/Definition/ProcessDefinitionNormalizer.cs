namespace Dialoog.Core.Processes.Definition;

/// <summary>
/// Tidies a definition before it is validated: trims text, fills what JSON left null with empty values, tidies the
/// spaces in phone numbers, writes a participant's group as the group itself is written, lower-cases languages, and
/// gives every session without an id the first free one of s1, s2, …. Returns a new definition; nothing it does can
/// make a valid definition invalid.
/// </summary>
public static class ProcessDefinitionNormalizer
{
    public static ProcessDefinition Normalize(ProcessDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var groups = (definition.Groups ?? []).Select(g => g is null ? g! : g with
        {
            Name = Trim(g.Name),
            Manager = g.Manager is null ? null : Person(g.Manager),
        }).ToList();

        var groupNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in groups.Where(g => g is not null && g.Name.Length > 0))
        {
            groupNames.TryAdd(group.Name, group.Name);
        }

        var participants = (definition.Participants ?? []).Select(p => p is null ? p! : Reach(p) with
        {
            Name = Trim(p.Name),
            Group = groupNames.GetValueOrDefault(Trim(p.Group), Trim(p.Group)),
            Language = p.Language is null ? Languages.Dutch : p.Language.Trim().ToLowerInvariant(),
        }).ToList();

        return definition with
        {
            Template = definition.Template?.Trim(),
            Topic = Trim(definition.Topic),
            Area = Trim(definition.Area),
            Description = string.IsNullOrWhiteSpace(definition.Description) ? null : definition.Description.Trim(),
            Coordinator = Person(definition.Coordinator),
            EscalationContact = Person(definition.EscalationContact),
            Groups = groups,
            Participants = participants,
            Sessions = Sessions(definition.Sessions ?? []),
            Policy = definition.Policy is null ? new ProcessPolicy() : definition.Policy with { DefaultDecision = Trim(definition.Policy.DefaultDecision) },
            SignUp = definition.SignUp is null ? null : new SignUpSettings(
                [.. (definition.SignUp.Groups ?? []).Select(g => groupNames.GetValueOrDefault(Trim(g), Trim(g)))],
                [.. (definition.SignUp.Questions ?? []).Select(q => q is null ? q! : q with
                {
                    Id = Trim(q.Id),
                    Text = Trim(q.Text),
                    Choices = [.. (q.Choices ?? []).Select(Trim)],
                })]),
        };
    }

    private static List<SessionDefinition> Sessions(IReadOnlyList<SessionDefinition> sessions)
    {
        var taken = new HashSet<string>(sessions.Where(s => !string.IsNullOrWhiteSpace(s?.Id)).Select(s => s.Id!.Trim()), StringComparer.OrdinalIgnoreCase);
        var next = 1;
        var result = new List<SessionDefinition>(sessions.Count);
        foreach (var session in sessions)
        {
            if (session is null)
            {
                result.Add(session!);
                continue;
            }

            var id = session.Id?.Trim();
            if (string.IsNullOrEmpty(id))
            {
                while (!taken.Add($"s{next}"))
                {
                    next++;
                }

                id = $"s{next}";
            }

            result.Add(session with
            {
                Id = id,
                Title = Trim(session.Title),
                Location = string.IsNullOrWhiteSpace(session.Location) ? null : session.Location.Trim(),
                OnlineLink = string.IsNullOrWhiteSpace(session.OnlineLink) ? null : session.OnlineLink.Trim(),
                Facilitator = session.Facilitator is null ? null : Person(session.Facilitator),
            });
        }

        return result;
    }

    /// <summary>
    /// The ways to reach a participant tidied: the address trimmed (empty when left out: no e-mail), phone and postal
    /// address trimmed or null. Also for people added to a running process, whose other fields stay as given.
    /// </summary>
    public static ParticipantDefinition Reach(ParticipantDefinition participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        return participant with
        {
            Email = Trim(participant.Email),
            Phone = string.IsNullOrWhiteSpace(participant.Phone) ? null : participant.Phone.Trim(),
            Address = string.IsNullOrWhiteSpace(participant.Address) ? null : participant.Address.Trim(),
        };
    }

    private static Person Person(Person? person) => person is null ? new("", "") : new(Trim(person.Name), Trim(person.Email), PhoneNumbers.Tidy(person.Phone));

    private static string Trim(string? value) => value?.Trim() ?? "";
}
