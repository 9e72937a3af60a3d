using System.Text;

namespace SyncContext.Tests.Fidelity;

/// <summary>One request a shape is exercised with: the same bytes go to every app.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query, relative to the shape's own prefix.</param>
/// <param name="ContentType">The request's Content-Type, if it has a body.</param>
/// <param name="Body">The request body, sent as UTF-8.</param>
/// <param name="Headers">Extra request headers, each <c>"Name: value"</c>.</param>
internal sealed record FidelityRequest(string Method, string Path, string? ContentType = null, string? Body = null, params string[] Headers)
{
    public const string Boundary = "fidelity-boundary";

    public override string ToString()
    {
        var text = new StringBuilder($"{Method} {Path}");
        foreach (var header in Headers)
        {
            text.Append($" [{header}]");
        }

        if (Body is not null)
        {
            text.Append($" ({ContentType}) {Escape(Body)}");
        }

        return text.ToString();
    }

    private static string Escape(string body) => body.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

/// <summary>Short constructors for the shape tables.</summary>
internal static class Req
{
    public static FidelityRequest Get(string path, params string[] headers) => new("GET", path, Headers: headers);

    public static FidelityRequest Head(string path) => new("HEAD", path);

    public static FidelityRequest Delete(string path) => new("DELETE", path);

    public static FidelityRequest Options(string path) => new("OPTIONS", path);

    /// <summary>A request without a body for any method.</summary>
    public static FidelityRequest Bare(string method, string path, params string[] headers) => new(method, path, Headers: headers);

    /// <summary>A JSON body (<paramref name="json"/> null: no body at all, but still a JSON content type).</summary>
    public static FidelityRequest Json(string method, string path, string? json, params string[] headers)
        => new(method, path, "application/json", json ?? string.Empty, headers);

    public static FidelityRequest Post(string path, string? json, params string[] headers) => Json("POST", path, json, headers);

    /// <summary>Any body with any content type.</summary>
    public static FidelityRequest Raw(string method, string path, string contentType, string body, params string[] headers)
        => new(method, path, contentType, body, headers);

    /// <summary>An <c>application/x-www-form-urlencoded</c> POST.</summary>
    public static FidelityRequest Form(string path, string fields) => new("POST", path, "application/x-www-form-urlencoded", fields);

    /// <summary>A <c>multipart/form-data</c> POST with a fixed boundary, so the bytes are the same every run.</summary>
    public static FidelityRequest Multipart(string path, params Part[] parts)
    {
        var body = new StringBuilder();
        foreach (var part in parts)
        {
            body.Append($"--{FidelityRequest.Boundary}\r\n");
            body.Append(part.FileName is null
                ? $"Content-Disposition: form-data; name=\"{part.Name}\"\r\n\r\n"
                : $"Content-Disposition: form-data; name=\"{part.Name}\"; filename=\"{part.FileName}\"\r\nContent-Type: text/plain\r\n\r\n");
            body.Append(part.Content).Append("\r\n");
        }

        body.Append($"--{FidelityRequest.Boundary}--\r\n");
        return new("POST", path, $"multipart/form-data; boundary={FidelityRequest.Boundary}", body.ToString());
    }

    public static Part Field(string name, string value) => new(name, null, value);

    public static Part File(string name, string fileName, string content) => new(name, fileName, content);
}

/// <summary>One part of a multipart form: a field, or a file when <paramref name="FileName"/> is set.</summary>
internal sealed record Part(string Name, string? FileName, string Content);
