using Microsoft.AspNetCore.Identity;

namespace Dialoog.Web;

/// <summary>
/// Local coordinators' passwords: only ASP.NET Core Identity's salted PBKDF2 hash is stored in the settings, so a
/// leaked settings file gives nobody a password.
/// </summary>
public static class LocalPasswords
{
    public const int MinimumLength = 12;

    // Identity's version-3 format: marker byte, PRF, iteration count and salt length, then at least salt and subkey.
    private const byte FormatMarker = 0x01;
    private const int MinimumHashBytes = 1 + 4 + 4 + 4 + 16 + 32;

    private static readonly PasswordHasher<LocalCoordinator> Hasher = new();

    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < MinimumLength)
        {
            throw new ArgumentException($"A password needs at least {MinimumLength} characters.", nameof(password));
        }

        return Hasher.HashPassword(new LocalCoordinator(), password);
    }

    public static bool IsHash(string? hash)
    {
        if (string.IsNullOrWhiteSpace(hash))
        {
            return false;
        }

        var bytes = new byte[hash.Length];
        return Convert.TryFromBase64String(hash.Trim(), bytes, out var length) && length >= MinimumHashBytes && bytes[0] == FormatMarker;
    }

    public static bool Verify(LocalCoordinator coordinator, string password)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        return IsHash(coordinator.PasswordHash)
            && Hasher.VerifyHashedPassword(coordinator, coordinator.PasswordHash.Trim(), password) != PasswordVerificationResult.Failed;
    }

    /// <summary>
    /// <c>Dialoog.Web --hash-password</c>: reads a password from standard input and prints its hash for
    /// <c>Auth__LocalCoordinators__N__PasswordHash</c>. Returns the exit code.
    /// </summary>
    public static int HashFromConsole(TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var password = input.ReadLine() ?? "";
        if (password.Length < MinimumLength)
        {
            error.WriteLine($"The password needs at least {MinimumLength} characters (read one line from standard input).");
            return 2;
        }

        output.WriteLine(Hash(password));
        return 0;
    }
}
