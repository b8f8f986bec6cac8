using System.Globalization;
using System.Runtime.InteropServices;

namespace Greengrass.Nucleus.Supervision;

/// <summary>A resolved POSIX user and group a lifecycle process runs as.</summary>
internal sealed record PosixIdentity(string UserName, uint Uid, uint Gid, string Home)
{
    // getpwnam and friends return pointers into static storage shared by every thread.
    private static readonly Lock UserDatabase = new();

    public bool IsRoot => Uid == 0;

    /// <summary>
    /// Resolves <c>user</c> or <c>user:group</c> (names or numeric ids) through the system user database;
    /// the group defaults to the user's primary group.
    /// </summary>
    /// <exception cref="FormatException">The value is malformed, or the user or group does not exist.</exception>
    public static PosixIdentity Resolve(string posixUser)
    {
        lock (UserDatabase)
        {
            return ResolveLocked(posixUser);
        }
    }

    private static PosixIdentity ResolveLocked(string posixUser)
    {
        var parts = posixUser.Split(':');
        if (parts.Length > 2 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"posixUser '{posixUser}' is not valid: expected 'user' or 'user:group'.");
        }

        var user = LookUpUser(parts[0])
            ?? throw new FormatException($"posixUser '{posixUser}': user '{parts[0]}' does not exist on this device.");
        if (parts.Length == 1)
        {
            return user;
        }

        var gid = LookUpGroup(parts[1])
            ?? throw new FormatException($"posixUser '{posixUser}': group '{parts[1]}' does not exist on this device.");
        return user with { Gid = gid };
    }

    public static PosixIdentity Current()
    {
        lock (UserDatabase)
        {
            return CurrentLocked();
        }
    }

    private static PosixIdentity CurrentLocked()
    {
        var uid = PosixNative.GetEffectiveUserId();
        return FromPasswd(PosixNative.GetPasswordByUid(uid)) ?? new PosixIdentity(uid.ToString(CultureInfo.InvariantCulture), uid, uid, "/");
    }

    private static PosixIdentity? LookUpUser(string user)
    {
        if (uint.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
        {
            // A numeric id without a passwd entry is allowed (as with sudo -u '#id'); its group is its own id.
            return FromPasswd(PosixNative.GetPasswordByUid(uid)) ?? new PosixIdentity(user, uid, uid, "/");
        }

        return FromPasswd(PosixNative.GetPasswordByName(user));
    }

    private static uint? LookUpGroup(string group)
    {
        if (uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
        {
            return gid;
        }

        var entry = PosixNative.GetGroupByName(group);

        // struct group { char* gr_name; char* gr_passwd; gid_t gr_gid; ... }
        return entry == IntPtr.Zero ? null : (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size);
    }

    private static PosixIdentity? FromPasswd(IntPtr entry)
    {
        if (entry == IntPtr.Zero)
        {
            return null;
        }

        // struct passwd { char* pw_name; char* pw_passwd; uid_t pw_uid; gid_t pw_gid; char* pw_gecos; char* pw_dir; char* pw_shell; }
        var name = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry, 0)) ?? "";
        var uid = (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size);
        var gid = (uint)Marshal.ReadInt32(entry, (2 * IntPtr.Size) + 4);
        var home = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry, (2 * IntPtr.Size) + 8 + IntPtr.Size)) ?? "/";
        return new PosixIdentity(name, uid, gid, home);
    }
}
