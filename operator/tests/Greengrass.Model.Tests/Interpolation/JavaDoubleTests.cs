using Greengrass.Model.Interpolation;

namespace Greengrass.Model.Tests.Interpolation;

public sealed class JavaDoubleTests
{
    [Theory]
    [InlineData(8080.0, "8080.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.5, "1.5")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0001, "1.0E-4")]
    [InlineData(1234567.0, "1234567.0")]
    [InlineData(9999999.0, "9999999.0")]
    [InlineData(10000000.0, "1.0E7")]
    [InlineData(12345678.9, "1.23456789E7")]
    [InlineData(0.1, "0.1")]
    [InlineData(100.0, "100.0")]
    [InlineData(1e21, "1.0E21")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157E308")]
    public void Format_Doubles_MatchJavaDoubleToString(double value, string expected)
    {
        Assert.Equal(expected, JavaDouble.Format(value));
    }
}
