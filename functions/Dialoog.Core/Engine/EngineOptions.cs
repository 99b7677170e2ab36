using System.ComponentModel.DataAnnotations;

namespace Dialoog.Core.Engine;

/// <summary>
/// Settings of the Durable Task engine (configuration section "Durable", keys like <c>Durable__TaskHub</c>). The
/// storage account comes from <c>AzureWebJobsStorage</c> (<see cref="Storage.StorageOptions"/>), as in Functions.
/// </summary>
public sealed class EngineOptions
{
    public const string SectionName = "Durable";

    /// <summary>Prefixes the hub's tables, queues and containers, so two hubs on one account never see each other's work.</summary>
    /// <remarks>The Azure Storage provider's rule: table names are letters and digits starting with a letter, and it adds
    /// suffixes (for example <c>-control-03</c>, <c>Instances</c>), so 45 characters keeps every name under the 63-character limits.</remarks>
    [Required(ErrorMessage = "Setting 'Durable__TaskHub' is required.")]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "Setting 'Durable__TaskHub' must be 3 to 45 letters or digits and start with a letter.")]
    public string TaskHub { get; set; } = "dialoog";

    /// <summary>Control queues (and partitions) of the hub. Fixed once the hub exists: a change needs a new task hub.</summary>
    [Range(1, 16, ErrorMessage = "Setting 'Durable__PartitionCount' must be a whole number from 1 to 16.")]
    public int PartitionCount { get; set; } = 4;

    /// <summary>Orchestration work items processed at once by this worker.</summary>
    [Range(1, 1000, ErrorMessage = "Setting 'Durable__MaxConcurrentOrchestrations' must be a whole number from 1 to 1000.")]
    public int MaxConcurrentOrchestrations { get; set; } = 32;

    /// <summary>Activities running at once in this worker.</summary>
    [Range(1, 1000, ErrorMessage = "Setting 'Durable__MaxConcurrentActivities' must be a whole number from 1 to 1000.")]
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>Longest wait between two polls of an empty queue (DurableTask.AzureStorage's MaxQueuePollingInterval):
    /// the worst-case reaction time after a quiet spell.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "Setting 'Durable__MaxQueuePollingInterval' must be a duration from 00:00:00.010 to 00:01:00.")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a worker owns its partitions; after a crash another worker takes them over after this.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:05:00", ErrorMessage = "Setting 'Durable__LeaseDuration' must be a duration from 00:00:05 to 00:05:00.")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a received message stays hidden; after a crash it reappears for another worker after this.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00", ErrorMessage = "Setting 'Durable__MessageVisibilityTimeout' must be a duration from 00:00:05 to 00:10:00.")]
    public TimeSpan MessageVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Keeps an orchestration's history in memory between its episodes, saving a replay per episode.</summary>
    public bool ExtendedSessions { get; set; }

    /// <summary>Run orchestrations and activities in this process. Off for the web app in Azure, which only starts and reads instances.</summary>
    public bool EnableWorker { get; set; } = true;

    /// <summary>Names this worker in partition leases and logs; empty means the machine name.</summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$", ErrorMessage = "Setting 'Durable__WorkerId' must be empty or 1 to 100 letters, digits, dots, dashes or underscores.")]
    public string? WorkerId { get; set; }
}
