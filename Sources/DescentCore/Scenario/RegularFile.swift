import Foundation

public enum RegularFile {
    /// Throws unless `path` names a regular file (or a link to one): opening a FIFO for reading would wait
    /// for a writer forever, and a device or a folder is not a scenario or a table.
    public static func check(_ path: String) throws(InputError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputError(file: path, message: errno == ENOENT ? "no such file" : "cannot read the file: \(String(cString: strerror(errno)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw InputError(file: path, message: "is a folder, not a file")
        case S_IFIFO: throw InputError(file: path, message: "is a pipe (FIFO), not a file: reading it would wait for a writer")
        default: throw InputError(file: path, message: "is not a regular file")
        }
    }
}
