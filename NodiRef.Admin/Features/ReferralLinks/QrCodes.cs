using QRCoder;

namespace NodiRef.Admin.Features.ReferralLinks;

/// <summary>QR codes of share links (QRCoder), as PNG and SVG, for the link's share dialog and its downloads.</summary>
public static class QrCodes
{
    /// <summary>Pixels per module of the PNG: a 33-module code of a typical link is about 400 px with its quiet zone.</summary>
    public const int PngPixelsPerModule = 10;

    public static byte[] Png(string text)
    {
        using var data = Encode(text);
        return new PngByteQRCode(data).GetGraphic(PngPixelsPerModule);
    }

    public static string Svg(string text)
    {
        using var data = Encode(text);
        return new SvgQRCode(data).GetGraphic(8);
    }

    private static QRCodeData Encode(string text)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
    }
}
