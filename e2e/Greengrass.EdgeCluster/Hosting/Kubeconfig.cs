using System.Text;

namespace Greengrass.EdgeCluster.Hosting;

/// <summary>Writes a kubeconfig for the admin token (and the CA certificate next to it).</summary>
internal static class Kubeconfig
{
    public static void Write(string path, string server, string token, string? caPem)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var sb = new StringBuilder();
        sb.AppendLine("apiVersion: v1");
        sb.AppendLine("kind: Config");
        sb.AppendLine("clusters:");
        sb.AppendLine("- name: edgecluster");
        sb.AppendLine("  cluster:");
        sb.AppendLine($"    server: {server}");
        if (caPem is not null)
        {
            File.WriteAllText(Path.Combine(dir, "ca.crt"), caPem);
            sb.AppendLine($"    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem))}");
        }
        sb.AppendLine("users:");
        sb.AppendLine("- name: edgecluster-admin");
        sb.AppendLine("  user:");
        sb.AppendLine($"    token: {token}");
        sb.AppendLine("contexts:");
        sb.AppendLine("- name: edgecluster");
        sb.AppendLine("  context:");
        sb.AppendLine("    cluster: edgecluster");
        sb.AppendLine("    user: edgecluster-admin");
        sb.AppendLine("    namespace: default");
        sb.AppendLine("current-context: edgecluster");
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, sb.ToString());
        File.Move(tmp, path, overwrite: true);
    }
}
