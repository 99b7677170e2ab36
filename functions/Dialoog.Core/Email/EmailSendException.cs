namespace Dialoog.Core.Email;

/// <summary>An e-mail could not be handed to the mail server. The message says which server and why.</summary>
public sealed class EmailSendException : Exception
{
    public EmailSendException()
    {
    }

    public EmailSendException(string message)
        : base(message)
    {
    }

    public EmailSendException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EmailSendException(string message, bool permanent)
        : base(message)
    {
        Permanent = permanent;
    }

    public EmailSendException(string message, bool permanent, Exception innerException)
        : base(message, innerException)
    {
        Permanent = permanent;
    }

    /// <summary>True when the server refused for good (SMTP 5xx, e.g. an unknown mailbox; SendGrid 4xx): trying again will not help.</summary>
    public bool Permanent { get; }
}
