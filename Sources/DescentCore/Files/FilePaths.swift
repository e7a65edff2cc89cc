/// Splitting and joining paths as text, without Foundation's `NSString` path methods (which trap on some
/// one-character paths on Linux). Paths are POSIX: `/` separates components; nothing here touches the disk.
public enum FilePaths {
    /// The folder part of `path`: `""` for a bare name (`s`), `/` for a name at the root (`/s`),
    /// `a` for `a/b` and `a/b/` (trailing slashes belong to the last component).
    public static func folder(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        var folder = trimmed[..<slash]
        while folder.count > 1, folder.hasSuffix("/") { folder = folder.dropLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    /// The last component of `path`: `b` for `a/b` and `a/b/`, `/` for `/`, `""` for `""`.
    public static func name(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `name` inside `folder`: `name` itself when it is absolute or the folder is empty.
    public static func join(_ folder: String, _ name: String) -> String {
        if name.hasPrefix("/") || folder.isEmpty { return name }
        if name.isEmpty { return folder }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// `path` with `.` components and repeated slashes removed and `name/..` pairs folded, as text
    /// (links are not followed, so `a/link/..` folds to `a`); `""` becomes `.`.
    public static func standardized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." { parts.removeLast() } else if !absolute { parts.append(part) }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// `~` or `~/…` with the home folder (`HOME`) put in; other paths as they are.
    public static func expandingTilde(_ path: String, home: String?) -> String {
        guard let home, !home.isEmpty, path == "~" || path.hasPrefix("~/") else { return path }
        return join(home, String(path.dropFirst(2)))
    }
}
