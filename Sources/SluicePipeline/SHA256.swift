import CSluiceSHA256

/// SHA-256 (FIPS 180-4) of a byte buffer, used to recognise a second delivery of the same bytes.
///
/// Written here because the engine depends on nothing but the toolchain and three C
/// libraries, and Foundation on Linux has no CryptoKit. Two block functions: the portable Swift
/// one below, and a C kernel with the x86 SHA extensions (`CSluiceSHA256`, about 4–6× faster),
/// used whenever CPUID says this CPU has them. Both are checked against the FIPS test vectors and
/// against each other. This file is the only Swift that calls the C kernel.
package enum SHA256 {
    /// Which block function computes a digest (the digest is the same either way).
    package enum Implementation: Sendable, CaseIterable, CustomStringConvertible {
        /// The hardware kernel when this CPU has the SHA extensions, else the portable code.
        case automatic
        /// The portable Swift code, on any CPU.
        case portable
        /// The C kernel with the x86 SHA extensions; only when `SHA256.hardwareAvailable`.
        case hardware

        /// The case's name, for test and benchmark output.
        package var description: String {
            switch self {
            case .automatic: "automatic"
            case .portable: "portable"
            case .hardware: "hardware"
            }
        }
    }

    /// Whether this CPU has the SHA extensions (with SSSE3 and SSE4.1) the hardware kernel needs:
    /// asked once, through CPUID; always false off x86-64.
    package static let hardwareAvailable: Bool = sluice_sha256_has_hardware() != 0

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// The eight working words a…h, kept in a tuple (no heap, no bounds checks; laid out like the
    /// C kernel's `uint32_t[8]`).
    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// The 32-byte digest of `bytes`, with the hardware kernel when this CPU has it unless
    /// `implementation` says otherwise.
    /// - Complexity: O(n), one pass over 64-byte blocks.
    package static func digest(_ bytes: [UInt8], implementation: Implementation = .automatic) -> [UInt8] {
        let words = finalWords(of: bytes, implementation: implementation)
        var digest = [UInt8](repeating: 0, count: 32)
        for index in 0..<8 {
            let word = words[index]
            for byte in 0..<4 {
                digest[index * 4 + byte] = UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * byte))
            }
        }
        return digest
    }

    /// The digest as 64 lower-case hex digits (one allocation: the string).
    package static func hexDigest(_ bytes: [UInt8], implementation: Implementation = .automatic) -> String {
        let words = finalWords(of: bytes, implementation: implementation)
        return String(unsafeUninitializedCapacity: 64) { hex in
            for index in 0..<8 {
                let word = words[index]
                for digit in 0..<8 {
                    let nibble = UInt8(truncatingIfNeeded: word >> UInt32(28 - 4 * digit)) & 0xF
                    hex[index * 8 + digit] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                }
            }
            return 64
        }
    }

    /// The state after every block of `bytes` and of its padding, as words a…h.
    private static func finalWords(of bytes: [UInt8], implementation: Implementation) -> InlineArray<8, UInt32> {
        let useHardware: Bool
        switch implementation {
        case .automatic: useHardware = hardwareAvailable
        case .portable: useHardware = false
        case .hardware:
            precondition(hardwareAvailable, "SHA-256: the hardware kernel asked for on a CPU without SHA extensions")
            useHardware = true
        }
        var state: State = (
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        )
        let fullBlocks = bytes.count / 64
        // The padded tail on the stack: the last `count % 64` bytes, 0x80, zeros, and the length
        // in bits as a big-endian UInt64 ending the first block if it fits (remainder ≤ 55), else the second.
        var tail = InlineArray<128, UInt8>(repeating: 0)
        let remainder = bytes.count - fullBlocks * 64
        for index in 0..<remainder {
            tail[index] = bytes[fullBlocks * 64 + index]
        }
        tail[remainder] = 0x80
        let tailBlocks = remainder < 56 ? 1 : 2
        let bitLength = UInt64(bytes.count) &* 8
        for index in 0..<8 {
            tail[tailBlocks * 64 - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> UInt64(8 * index))
        }
        if useHardware {
            compressWithHardware(bytes.span, blocks: fullBlocks, into: &state)
            compressWithHardware(tail.span, blocks: tailBlocks, into: &state)
        } else {
            let constants = roundConstants.span
            let raw = bytes.span.bytes
            for block in 0..<fullBlocks {
                compress(raw, at: block * 64, into: &state, constants: constants)
            }
            let tailRaw = tail.span.bytes
            for block in 0..<tailBlocks {
                compress(tailRaw, at: block * 64, into: &state, constants: constants)
            }
        }
        return [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
    }

    /// The first `blocks` 64-byte blocks of `bytes` through the C kernel (the one place that hands
    /// pointers to C: the span's buffer, and the state tuple as eight contiguous words).
    private static func compressWithHardware(_ bytes: Span<UInt8>, blocks: Int, into state: inout State) {
        precondition(blocks >= 0 && blocks * 64 <= bytes.count)
        guard blocks > 0 else { return }
        bytes.withUnsafeBufferPointer { buffer in
            withUnsafeMutablePointer(to: &state) { tuple in
                tuple.withMemoryRebound(to: UInt32.self, capacity: 8) { words in
                    sluice_sha256_compress_blocks(words, buffer.baseAddress, blocks)
                }
            }
        }
    }

    /// One 64-byte block of `bytes` starting at `base`, in portable Swift.
    ///
    /// The message schedule is a 16-word ring in registers/stack (`InlineArray`), not 64 words
    /// in an array; indices are checked once up front (the block lies in `bytes`; ring indices
    /// are masked to 0…15 and round indices run 0…63), so the rounds use unchecked access.
    @inline(__always)
    private static func compress(_ bytes: RawSpan, at base: Int, into state: inout State, constants: Span<UInt32>) {
        var w = InlineArray<16, UInt32>(repeating: 0)
        precondition(base >= 0 && base + 64 <= bytes.byteCount)
        for index in 0..<16 {
            w[unchecked: index] = UInt32(
                bigEndian: bytes.unsafeLoadUnaligned(fromUncheckedByteOffset: base + index * 4, as: UInt32.self))
        }
        var (a, b, c, d, e, f, g, h) = state
        for index in 0..<64 {
            let word: UInt32
            if index < 16 {
                word = w[unchecked: index]
            } else {
                let w15 = w[unchecked: (index - 15) & 15], w2 = w[unchecked: (index - 2) & 15]
                let s0 = rotate(w15, 7) ^ rotate(w15, 18) ^ (w15 >> 3)
                let s1 = rotate(w2, 17) ^ rotate(w2, 19) ^ (w2 >> 10)
                word = w[unchecked: index & 15] &+ s0 &+ w[unchecked: (index - 7) & 15] &+ s1
                w[unchecked: index & 15] = word
            }
            let s1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
            let choice = (e & f) ^ (~e & g)
            let temp1 = h &+ s1 &+ choice &+ constants[unchecked: index] &+ word
            let s0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let temp2 = s0 &+ majority
            (h, g, f, e, d, c, b, a) = (g, f, e, d &+ temp1, c, b, a, temp1 &+ temp2)
        }
        state.0 &+= a; state.1 &+= b; state.2 &+= c; state.3 &+= d
        state.4 &+= e; state.5 &+= f; state.6 &+= g; state.7 &+= h
    }

    @inline(__always)
    private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value >> count) | (value << (32 - count))
    }
}
