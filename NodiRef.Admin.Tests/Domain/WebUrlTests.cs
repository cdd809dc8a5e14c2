using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Domain;

public sealed class WebUrlTests
{
    [Theory]
    [InlineData("http://example.com")]
    [InlineData("https://example.com/")]
    [InlineData("https://shop.example.com/landing?utm_source=ref#top")]
    [InlineData("HTTPS://EXAMPLE.COM/Path")]
    [InlineData("http://localhost:5000/x")]
    [InlineData("https://192.168.1.10/")]
    public void Absolute_http_and_https_urls_are_valid(string url) => Assert.True(WebUrl.IsValid(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("example.com")]
    [InlineData("www.example.com/path")]
    [InlineData("/relative/path")]
    [InlineData("path/only")]
    [InlineData("ftp://example.com/file")]
    [InlineData("file:///etc/passwd")]
    [InlineData("mailto:someone@example.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hello")]
    [InlineData("http://")]
    [InlineData("https://")]
    public void Everything_else_is_invalid(string? url) => Assert.False(WebUrl.IsValid(url));
}
