namespace Dialoog.Functions.Email;

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

    public EmailSendException(string message, bool permanent, Exception innerException)
        : base(message, innerException)
    {
        Permanent = permanent;
    }

    /// <summary>True when the server refused for good (a 5xx answer, e.g. an unknown mailbox): trying again will not help.</summary>
    public bool Permanent { get; }
}
