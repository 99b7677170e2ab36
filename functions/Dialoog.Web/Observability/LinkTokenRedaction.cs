using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace Dialoog.Web.Observability;

/// <summary>
/// A personal link's token is a password: whoever has it answers, decides or uploads as that person. The paths that
/// carry one (<c>/l/{token}</c>, <c>/l/{token}/agenda.ics</c>, <c>/api/progress/{token}</c>) get the token replaced
/// by <see cref="Placeholder"/> wherever telemetry would write them down.
/// </summary>
internal static partial class LinkTokens
{
    /// <summary>What stands in for a token: the route's own parameter, so a redacted path reads like its route.</summary>
    public const string Placeholder = "{token}";

    /// <summary>True when <paramref name="text"/> has a token segment in it (routes match any case, so this does too).</summary>
    public static bool In(string? text) => text is not null && TokenSegment().IsMatch(text);

    public static string Redact(string text) => TokenSegment().Replace(text, Placeholder);

    // The segment after /l/ or /api/progress/ (extra slashes too), up to the next slash, query or end of a quoted path.
    [GeneratedRegex("""(?<=/(?:l|api/progress)/+)(?!\{token\}(?:[/?#\s"'<>]|$))[^/?#\s"'<>]+""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenSegment();
}

/// <summary>
/// Takes tokens out of every span before any exporter sees it: the server's <c>url.path</c>, an HTTP client's
/// <c>url.full</c> and any other text tag or name. A processor rather than one instrumentation's enrich callback, so
/// spans from .NET's own HTTP sources and from future instrumentation are covered too.
/// </summary>
internal sealed class LinkTokenSpanRedaction : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (LinkTokens.In(data.DisplayName))
        {
            data.DisplayName = LinkTokens.Redact(data.DisplayName);
        }

        List<KeyValuePair<string, string>>? redacted = null;
        foreach (var tag in data.TagObjects)
        {
            if (tag.Value is string text && LinkTokens.In(text))
            {
                (redacted ??= []).Add(new(tag.Key, LinkTokens.Redact(text)));
            }
        }

        foreach (var (key, value) in redacted ?? [])
        {
            data.SetTag(key, value);
        }

        if (LinkTokens.In(data.StatusDescription))
        {
            data.SetStatus(data.Status, LinkTokens.Redact(data.StatusDescription!));
        }
    }
}

/// <summary>
/// Every logger of the app goes through this: a line with a token in its message, a state value or a scope
/// (ASP.NET Core's "Request starting GET .../l/...", its request scope, a Kestrel trace line) reaches no log provider
/// (console, Application Insights) with the token in it. Lines without one pass as they are.
/// </summary>
internal sealed class LinkTokenRedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    // One logger per category, as the framework's own factory keeps them.
    private readonly ConcurrentDictionary<string, ILogger> loggers = new(StringComparer.Ordinal);

    /// <summary>The framework's own factory with the app's providers and filters, wrapped.</summary>
    public static LinkTokenRedactingLoggerFactory Create(IServiceProvider services) =>
        new(new LoggerFactory(
            services.GetServices<ILoggerProvider>(),
            services.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            services.GetService<IOptions<LoggerFactoryOptions>>(),
            services.GetService<IExternalScopeProvider>()));

    public ILogger CreateLogger(string categoryName) => loggers.GetOrAdd(categoryName, category => new Logger(inner.CreateLogger(category)));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            // Scopes are written by providers that include them; ASP.NET Core's request scope holds the path.
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && RedactedState.From(values, state.ToString()) is { } redacted)
            {
                return inner.BeginScope(redacted);
            }

            return state is string text && LinkTokens.In(text) ? inner.BeginScope(LinkTokens.Redact(text)) : inner.BeginScope(state);
        }

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            // Formatted once here and handed on, so checking costs no second formatting.
            var message = formatter(state, exception);
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            if (RedactedState.From(values, message) is { } redacted)
            {
                inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.Message);
            }
            else
            {
                inner.Log(logLevel, eventId, state, exception, (_, _) => message);
            }
        }
    }

    /// <summary>A log state or scope with its token-bearing values and text redacted; providers read it like the original.</summary>
    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        /// <summary>Null when neither the text nor any value has a token: then the original goes on unchanged.</summary>
        public static RedactedState? From(IReadOnlyList<KeyValuePair<string, object?>> values, string? message)
        {
            var dirty = LinkTokens.In(message);
            for (var i = 0; i < values.Count && !dirty; i++)
            {
                dirty = LinkTokens.In(Text(values[i].Value));
            }

            return dirty
                ? new RedactedState(
                    [.. values.Select(v => Text(v.Value) is { } text && LinkTokens.In(text) ? new KeyValuePair<string, object?>(v.Key, LinkTokens.Redact(text)) : v)],
                    LinkTokens.Redact(message ?? ""))
                : null;
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;

        /// <summary>A value as a provider would write it; numbers and the like cannot hold a path.</summary>
        private static string? Text(object? value) => value switch
        {
            null => null,
            string text => text,
            _ when value.GetType().IsPrimitive || value is decimal or DateTime or DateTimeOffset or TimeSpan or Guid or Enum => null,
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }
}
