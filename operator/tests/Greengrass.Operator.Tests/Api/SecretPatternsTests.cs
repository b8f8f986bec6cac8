using System.Text.RegularExpressions;
using Greengrass.Api;

namespace Greengrass.Operator.Tests.Api;

public sealed class SecretPatternsTests
{
    [Theory]
    [InlineData("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf", true)]
    [InlineData("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password", true)]
    [InlineData("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:a", true)]
    [InlineData("db-password", false)]
    [InlineData("arn:aws:secretsmanager:eu-west-1:1234:secret:db", false)]
    [InlineData("arn:aws:ssm:eu-west-1:123456789012:secret:db", false)]
    [InlineData("arn:aws:secretsmanager:eu-west-1:123456789012:secret:", false)]
    [InlineData("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db pass", false)]
    public void SecretArn_Pattern_AcceptsSecretsManagerArnsOnly(string value, bool accepted) =>
        Assert.Equal(accepted, Regex.IsMatch(value, Patterns.SecretArn));
}
