import Foundation

/// Reading the files users give: checked to be regular files, then read whole with `read(2)`, never
/// mapped, so a file another program shrinks meanwhile is an error line, not a SIGBUS.
public enum RegularFile {
    /// Throws unless `path` names a regular file (or a link to one): opening a FIFO for reading would wait
    /// for a writer forever, and a device or a folder is not a scenario or a table.
    public static func check(_ path: String) throws(InputError) {
        guard !path.utf8.contains(0) else { throw InputError(file: path, message: "the path holds a NUL character") }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputError(file: path, message: errno == ENOENT ? "no such file" : "cannot read the file: \(String(cString: strerror(errno)))")
        }
        try checkKind(info, path)
    }

    /// `path` opened for reading, with its `fstat`: refused unless it is a regular file (or a link to one), and
    /// when it holds a NUL, which would end the path the system is given early.
    private static func openChecked(_ path: String) throws(InputError) -> (fd: Int32, info: stat) {
        guard !path.utf8.contains(0) else { throw InputError(file: path, message: "the path holds a NUL character") }
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else {
            throw InputError(file: path, message: errno == ENOENT ? "no such file" : "cannot read the file: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw InputError(file: path, message: "cannot read the file: \(reason)")
        }
        do { try checkKind(info, path) } catch { close(fd); throw error }
        return (fd, info)
    }

    private static func checkKind(_ info: stat, _ path: String) throws(InputError) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw InputError(file: path, message: "is a folder, not a file")
        case S_IFIFO: throw InputError(file: path, message: "is a pipe (FIFO), not a file: reading it would wait for a writer")
        default: throw InputError(file: path, message: "is not a regular file")
        }
    }

    /// The whole contents of the regular file at `path`.
    ///
    /// The size is taken when the file is opened and that many bytes are read: a file that ends sooner
    /// (another program truncated it) is refused with a line saying so. Files of the kernel's (`/proc`)
    /// report a size of 0 but have contents; they are read to their end.
    public static func bytes(of path: String, limit: Int = Int.max) throws(InputError) -> [UInt8] {
        try bytes(of: path, limit: limit, afterOpening: {})
    }

    /// `afterOpening` runs once the size is known and before the first read: tests shrink the file there.
    public static func bytes(of path: String, limit: Int, afterOpening: () -> Void) throws(InputError) -> [UInt8] {
        try contents(of: path, as: UInt8.self, limit: limit, afterOpening: afterOpening).elements
    }

    /// The whole contents of the regular file at `path`, read straight into an array of `Element`s: the file's
    /// bytes in order, then zero bytes up to a whole element; `byteCount` is the file's length. What reads a
    /// vector of numbers reads it this way so the numbers need not be copied out of a second buffer.
    /// `upTo` bytes at the most are read (what follows is not looked at): a .npy is read as far as its header
    /// says.
    public static func contents<Element: BitwiseCopyable>(of path: String, as _: Element.Type, limit: Int = Int.max, upTo: Int = Int.max,
                                                          afterOpening: () -> Void = {}) throws(InputError) -> (elements: [Element], byteCount: Int) {
        let (fd, info) = try openChecked(path)
        defer { close(fd) }
        let size = Int(info.st_size)
        if size > limit {
            throw InputError(file: path, message: "the file is \(size) bytes; at most \(limit) are read")
        }
        afterOpening()
        let width = MemoryLayout<Element>.stride
        func zeros(_ bytes: Int) -> [Element] {
            [Element](unsafeUninitializedCapacity: (bytes + width - 1) / width) { buffer, initialized in
                // memset, as read(2) fills it: raw bytes, the memory still bound to Element.
                if let base = buffer.baseAddress { memset(base, 0, buffer.count * width) }
                initialized = buffer.count
            }
        }
        // A size of 0 is what /proc reports: read in chunks to the end.
        let reportedEmpty = size == 0
        let wanted = min(max(size, 0), upTo)
        var capacity = reportedEmpty ? min(65536, upTo) : wanted
        var elements = zeros(capacity)
        var count = 0
        while true {
            if count == capacity {
                guard reportedEmpty, capacity < upTo else { break }
                if capacity >= limit { throw InputError(file: path, message: "the file is more than \(limit) bytes") }
                let grown = min(2 * capacity, upTo)
                elements.append(contentsOf: zeros(grown - capacity))
                capacity = grown
            }
            let n = elements.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, capacity - count) }
            if n > 0 { count += n; continue }
            if n == 0 { break }
            if errno == EINTR { continue }
            throw InputError(file: path, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        if !reportedEmpty && count < wanted {
            // A file that really shrank says so when asked again; one of the kernel's (sysfs reports 4096
            // for every file) still reports the size it never had.
            var now = stat()
            if fstat(fd, &now) != 0 || Int(now.st_size) != size {
                throw InputError(file: path, message: "the file shrank from \(size) to \(count) bytes while it was read (is another program writing it?)")
            }
        }
        // The bytes past the end are zero already (a short read leaves them as they were made).
        elements.removeSubrange(((count + width - 1) / width)...)
        return (elements, count)
    }

    /// The regular file at `path` handed to `body` a piece at a time, in order: each piece whole lines (it ends just
    /// after a line end, the last one at the end of the file), about `size` bytes (a longer line makes a longer
    /// piece, up to `maximumLine`), with the file's size as `fstat` gave it (0 for the kernel's files). `body`
    /// returns false to stop. Only a piece is held at a time; a file of more than `limit` bytes, a longer line
    /// (the error `lineTooLong` makes: the caller knows which line it is), and a file that shrinks while it is
    /// read are refused.
    public static func lines(of path: String, size: Int, maximumLine: Int = Int.max, limit: Int = Int.max,
                             lineTooLong: () -> InputError = { InputError(message: "a line is too long") },
                             _ body: (UnsafeBufferPointer<UInt8>, Int) throws(InputError) -> Bool) throws(InputError) {
        let (fd, info) = try openChecked(path)
        defer { close(fd) }
        let wholeSize = max(0, Int(info.st_size))
        if wholeSize > limit { throw InputError(file: path, message: "the file is \(wholeSize) bytes; at most \(limit) are read") }
        var buffer = [UInt8](repeating: 0, count: max(1, size))
        var filled = 0, total = 0, atEnd = false
        while !atEnd {
            while filled < buffer.count {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
                if n > 0 {
                    filled += n; total += n
                    if total > limit { throw InputError(file: path, message: "the file is more than \(limit) bytes") }
                    continue
                }
                if n == 0 { atEnd = true; break }
                if errno == EINTR { continue }
                throw InputError(file: path, message: "cannot read the file: \(String(cString: strerror(errno)))")
            }
            if atEnd && wholeSize > 0 && total < wholeSize {
                var now = stat()
                if fstat(fd, &now) != 0 || Int(now.st_size) != wholeSize {
                    throw InputError(file: path, message: "the file shrank from \(wholeSize) to \(total) bytes while it was read (is another program writing it?)")
                }
            }
            // Whole lines only: what follows the last line end waits for the next piece.
            let end = atEnd ? filled : buffer[..<filled].lastIndex(of: 10).map { $0 + 1 }
            guard let end else {
                // A line longer than a piece.
                if buffer.count >= maximumLine { throw lineTooLong() }
                buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, maximumLine)))
                continue
            }
            if end > 0 {
                let going = try buffer.withUnsafeBufferPointer { b throws(InputError) in try body(UnsafeBufferPointer(rebasing: b[..<end]), wholeSize) }
                if !going { return }
            }
            buffer.withUnsafeMutableBytes { raw in
                if end < filled { raw.baseAddress!.copyMemory(from: raw.baseAddress! + end, byteCount: filled - end) }
            }
            filled -= end
        }
    }

    /// The first `count` bytes of the regular file at `path` (fewer when it is shorter), and its whole size.
    public static func prefix(of path: String, bytes count: Int) throws(InputError) -> (bytes: [UInt8], wholeSize: Int) {
        let (fd, info) = try openChecked(path)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, count - filled) }
            if n > 0 { filled += n; continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        bytes.removeSubrange(filled...)
        return (bytes, Int(info.st_size))
    }
}
