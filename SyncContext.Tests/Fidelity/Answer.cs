using System.Text;
using System.Text.RegularExpressions;

namespace SyncContext.Tests.Fidelity;

/// <summary>
/// What a client got: the status line, every header but Date (raw, as sent), the body bytes, or the
/// transport failure when no complete response arrived.
/// </summary>
internal sealed partial record Answer(string StatusLine, string[] Headers, byte[] Body, string? Failure)
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The body as compared. Bytes are compared as they are, with two exceptions that differ between any two
    /// requests or any two builds of the same app, never because of the package: the <c>traceId</c> of a problem
    /// document, and the stack frames the developer exception page prints (frame names depend on which
    /// assembly compiled the lambda). The exception type, message and every other line stay compared.
    /// </summary>
    public string ComparableBody
    {
        get
        {
            string text;
            try
            {
                text = s_strictUtf8.GetString(Body);
            }
            catch (DecoderFallbackException)
            {
                return "binary " + Convert.ToHexString(Body);
            }

            return StackFrame().Replace(TraceId().Replace(text, "\"traceId\":\"(scrubbed)\""), string.Empty);
        }
    }

    public string StatusCode => StatusLine.Split(' ') is [_, var code, ..] ? code : StatusLine;

    /// <summary>What differs from <paramref name="expected"/>, one line each; empty when the answers are the same.</summary>
    public List<string> DifferencesFrom(Answer expected)
    {
        var differences = new List<string>();
        if (Failure != expected.Failure)
        {
            differences.Add($"transport: expected {expected.Failure ?? "a complete response"}, got {Failure ?? "a complete response"}");
        }

        if (StatusLine != expected.StatusLine)
        {
            differences.Add($"status: expected {expected.StatusLine}, got {StatusLine}");
        }

        var expectedHeaders = expected.Headers.ToHashSet(StringComparer.Ordinal);
        var actualHeaders = Headers.ToHashSet(StringComparer.Ordinal);
        foreach (var missing in expected.Headers.Where(header => !actualHeaders.Contains(header)))
        {
            differences.Add($"header missing: {missing}");
        }

        foreach (var extra in Headers.Where(header => !expectedHeaders.Contains(header)))
        {
            differences.Add($"header added: {extra}");
        }

        var (expectedBody, actualBody) = (expected.ComparableBody, ComparableBody);
        if (expectedBody != actualBody)
        {
            differences.Add($"body: expected {Show(expectedBody)}, got {Show(actualBody)}");
        }

        return differences;
    }

    public override string ToString() => $"{StatusLine} {string.Join("; ", Headers)} {Show(ComparableBody)}{(Failure is null ? "" : " " + Failure)}";

    private static string Show(string body)
    {
        var shown = body.Length > 240 ? body[..240] + $"... ({body.Length} chars)" : body;
        return "\"" + shown.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
    }

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();

    [GeneratedRegex(@"^(\s+at .*|--- End of stack trace from previous location ---)\r?\n", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
