using System.ComponentModel.DataAnnotations;

namespace Dialoog.Durable;

/// <summary>Settings of the runtime (configuration section "Durable").</summary>
public sealed class DurableOptions
{
    public const string SectionName = "Durable";

    /// <summary>Prefixes every table, queue and container, so two hubs on one account never see each other's work.</summary>
    /// <remarks>Queue names allow only lowercase letters, digits and dashes, table names letters and digits starting
    /// with a letter; the runtime lowercases the hub and adds suffixes, so 45 characters keeps under the 63-character limits.</remarks>
    [Required(ErrorMessage = "Setting 'Durable__TaskHub' is required.")]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "Setting 'Durable__TaskHub' must be 3 to 45 letters or digits and start with a letter.")]
    public string TaskHub { get; set; } = "dialoog";

    /// <summary>Orchestration messages processed at once by one worker.</summary>
    [Range(1, 1000, ErrorMessage = "Setting 'Durable__MaxConcurrentOrchestrations' must be a whole number from 1 to 1000.")]
    public int MaxConcurrentOrchestrations { get; set; } = 32;

    /// <summary>Activities running at once in one worker.</summary>
    [Range(1, 1000, ErrorMessage = "Setting 'Durable__MaxConcurrentActivities' must be a whole number from 1 to 1000.")]
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>Shortest wait between two polls of an empty queue.</summary>
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Longest wait between two polls of an empty queue: the worst-case reaction time after a quiet spell.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a worker owns an instance while its activities run; renewed while they do.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a received message stays hidden; if the worker dies it reappears after this.</summary>
    public TimeSpan MessageVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After this many failed deliveries a message is quarantined and its instance fails with the error.</summary>
    [Range(1, 100, ErrorMessage = "Setting 'Durable__MaxDequeueCount' must be a whole number from 1 to 100.")]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How often the pull loop looks for instances whose wake-up was lost (a safety net, not the main path).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The pull loop runs in this process. Off under the Azure Functions custom handler, where the host delivers messages.</summary>
    public bool EnablePullLoop { get; set; } = true;

    /// <summary>How long graceful shutdown waits for sessions in progress before releasing them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Payloads larger than this many characters go to a blob and the row keeps a reference.</summary>
    [Range(1024, 30000, ErrorMessage = "Setting 'Durable__MaxInlinePayloadChars' must be a whole number from 1024 to 30000.")]
    public int MaxInlinePayloadChars { get; set; } = 30000;

    /// <summary>Check orchestrator code for non-deterministic calls at start-up and refuse to start when found.</summary>
    public bool ValidateOrchestratorCode { get; set; } = true;
}
