import CFreeType
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TrueType/OpenType font rasterised by FreeType into anti-aliased coverage bitmaps (8-bit
/// alpha, 26.6 fixed-point metrics rounded to pixels). Figures use DejaVu Sans, found at run time
/// (`Typeface.standard`: `$SEQGEN_FONT`, else the Debian `fonts-dejavu-core` path and a few
/// others); without it the canvas falls back to its 5×7 bitmap font.
public final class Typeface: @unchecked Sendable {
    /// A coverage bitmap: `alpha[y * width + x]` in 0…255, `baseline` pixels below its top row.
    public struct Bitmap: Sendable {
        public var width: Int, height: Int, baseline: Int
        public var alpha: [UInt8]
        /// Where a glyph's ink starts relative to the pen at the baseline (logos).
        public var left = 0, top = 0
    }

    public let path: String
    public let familyName: String
    private var library: FT_Library?
    private var face: FT_Face?
    /// FreeType faces are not thread-safe: every call holds this lock.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var inkCache: [Character: Bitmap] = [:]

    /// Candidate font files, tried in order after `$SEQGEN_FONT`.
    public static let searchPaths = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",          // Debian/Ubuntu fonts-dejavu-core
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",                   // Fedora, Alpine
        "/usr/share/fonts/TTF/DejaVuSans.ttf",                      // Arch
        "/usr/local/share/fonts/DejaVuSans.ttf",
        "/opt/homebrew/share/fonts/DejaVuSans.ttf",
    ]

    /// The figure font: `$SEQGEN_FONT` when set (an unreadable path means no font: the bitmap
    /// fallback), else the first of `searchPaths` that loads; nil when none does.
    public static let standard: Typeface? = {
        if let env = getenv("SEQGEN_FONT") { return Typeface(path: String(cString: env)) }
        for p in searchPaths { if let t = Typeface(path: p) { return t } }
        return nil
    }()

    /// Loads the face in `path`; nil when the file is missing or not a font FreeType reads.
    public init?(path: String) {
        self.path = path
        pthread_mutex_init(mutex, nil)
        var lib: FT_Library?
        guard FT_Init_FreeType(&lib) == 0, let lib else { return nil }
        var f: FT_Face?
        guard FT_New_Face(lib, path, 0, &f) == 0, let f, f.pointee.num_glyphs > 0 else { FT_Done_FreeType(lib); return nil }
        library = lib; face = f
        familyName = f.pointee.family_name.map { String(cString: $0) } ?? "sans-serif"
    }

    deinit {
        if let face { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
        pthread_mutex_destroy(mutex); mutex.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex); defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    private func setSize(_ size: Double) {
        FT_Set_Char_Size(face, 0, FT_F26Dot6((size * 64).rounded()), 72, 72)
    }

    /// Height of a capital letter above the baseline, in pixels at `size` (DejaVu: 0.729 em).
    public func capHeight(size: Double) -> Int {
        locked {
            setSize(size)
            guard FT_Load_Char(face, FT_ULong(UInt8(ascii: "H")), seqgen_ft_load_default) == 0, let g = face?.pointee.glyph else { return Int(size * 0.73) }
            return Int((Double(g.pointee.metrics.horiBearingY) / 64).rounded())
        }
    }

    /// Advance width of `text` at `size` pixels per em.
    public func width(_ text: String, size: Double) -> Int {
        locked {
            setSize(size)
            var pen = 0
            for u in text.unicodeScalars where FT_Load_Char(face, FT_ULong(u.value), seqgen_ft_load_default) == 0 {
                pen += Int(face!.pointee.glyph.pointee.advance.x)
            }
            return (pen + 32) >> 6
        }
    }

    /// `text` at `size` pixels per em as one anti-aliased line: the bitmap spans the face's
    /// ascender to descender and the pen's advance.
    public func render(_ text: String, size: Double) -> Bitmap {
        locked {
            setSize(size)
            let metrics = face!.pointee.size.pointee.metrics
            let ascent = Int((Double(metrics.ascender) / 64).rounded(.up)), descent = Int((Double(-metrics.descender) / 64).rounded(.up))
            var glyphs: [(x: Int, left: Int, top: Int, w: Int, h: Int, pitch: Int, bits: [UInt8])] = []
            var pen = 0
            for u in text.unicodeScalars {
                guard FT_Load_Char(face, FT_ULong(u.value), seqgen_ft_load_render) == 0, let g = face?.pointee.glyph else { continue }
                let b = g.pointee.bitmap
                let (w, h, pitch) = (Int(b.width), Int(b.rows), Int(b.pitch))
                let bits = (b.buffer != nil && w > 0 && h > 0) ? Array(UnsafeBufferPointer(start: b.buffer, count: h * Swift.abs(pitch))) : []
                glyphs.append(((pen + 32) >> 6, Int(g.pointee.bitmap_left), Int(g.pointee.bitmap_top), w, h, pitch, bits))
                pen += Int(g.pointee.advance.x)
            }
            let width = Swift.max(1, (pen + 32) >> 6 + 2), height = ascent + descent
            var alpha = [UInt8](repeating: 0, count: width * height)
            for g in glyphs where !g.bits.isEmpty {
                for r in 0..<g.h {
                    let y = ascent - g.top + r
                    guard y >= 0, y < height else { continue }
                    let row = g.pitch >= 0 ? r * g.pitch : (g.h - 1 - r) * -g.pitch
                    for c in 0..<g.w {
                        let x = g.x + g.left + c
                        guard x >= 0, x < width else { continue }
                        alpha[y * width + x] = Swift.max(alpha[y * width + x], g.bits[row + c])
                    }
                }
            }
            return Bitmap(width: width, height: height, baseline: ascent, alpha: alpha)
        }
    }

    /// The ink of one glyph rendered `size` pixels per em, cropped to its bounding box (`left`,
    /// `top`: the box's offset from the pen at the baseline, y up). Cached per letter at 200 px.
    public func ink(_ ch: Character) -> Bitmap? {
        locked {
            if let b = inkCache[ch] { return b }
            setSize(200)
            guard let u = ch.unicodeScalars.first, FT_Get_Char_Index(face, FT_ULong(u.value)) != 0,
                  FT_Load_Char(face, FT_ULong(u.value), seqgen_ft_load_render) == 0, let g = face?.pointee.glyph else { return nil }
            let b = g.pointee.bitmap
            let (w, h, pitch) = (Int(b.width), Int(b.rows), Int(b.pitch))
            guard w > 0, h > 0, let buffer = b.buffer else { return nil }
            var alpha = [UInt8](repeating: 0, count: w * h)
            for r in 0..<h {
                let row = pitch >= 0 ? r * pitch : (h - 1 - r) * -pitch
                for c in 0..<w { alpha[r * w + c] = buffer[row + c] }
            }
            var out = Bitmap(width: w, height: h, baseline: Int(g.pointee.bitmap_top), alpha: alpha)
            out.left = Int(g.pointee.bitmap_left); out.top = Int(g.pointee.bitmap_top)
            inkCache[ch] = out
            return out
        }
    }
}
