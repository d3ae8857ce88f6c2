import Foundation
import SluicePipeline
import Testing

/// SHA-256 through both block functions (portable Swift, and the C kernel with the x86 SHA
/// extensions where this CPU has them).
///
/// Expected digests come from Python's hashlib: the FIPS 180-4 / NIST example vectors and
/// lengths around the 55/56/64-byte padding edges as `hashlib.sha256(s.encode()).hexdigest()`;
/// the pseudo-random inputs as `hashlib.sha256(splitmix_bytes(seed, n)).hexdigest()` with
///
///     M = (1 << 64) - 1
///     def splitmix_bytes(seed, n):
///         state, out = seed, bytearray()
///         while len(out) < n:
///             state = (state + 0x9E3779B97F4A7C15) & M
///             z = state
///             z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
///             z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
///             out += (z ^ (z >> 31)).to_bytes(8, "little")
///         return bytes(out[:n])
///
/// (the same generator as `splitMixBytes` below).
struct SHA256Tests {
    /// Every implementation this CPU can run: the hardware one only where CPUID reports it.
    static let implementations: [SHA256.Implementation] =
        SHA256.hardwareAvailable ? [.portable, .hardware, .automatic] : [.portable, .automatic]

    @Test(
        arguments: implementations,
        [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        ])
    func matchesKnownDigests(implementation: SHA256.Implementation, vector: (input: String, expected: String)) {
        let bytes = Array(vector.input.utf8)
        #expect(SHA256.hexDigest(bytes, implementation: implementation) == vector.expected)
        #expect(hex(SHA256.digest(bytes, implementation: implementation)) == vector.expected)
    }

    @Test(arguments: implementations)
    func oneMillionAs(implementation: SHA256.Implementation) {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(
            SHA256.hexDigest(input, implementation: implementation)
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(
        arguments: implementations,
        [
            (1, 1_000_000, "408a12070e3a469429491a2483bcd51929226e5bb4d205f5115c926ff20223e4"),
            (2, 1_000_063, "2af1c3311641ee5c751042b8f0a442f49920a59dce734746f3f7fc96d0be75ee"),
            (3, 119, "3c8d010dbbb35e8d89bc16d084c0881fc8e861f9ded6febff0ef00e8e19908da"),
        ])
    func matchesHashlibOnPseudoRandomBytes(
        implementation: SHA256.Implementation, input: (seed: UInt64, count: Int, expected: String)
    ) {
        let bytes = splitMixBytes(seed: input.seed, count: input.count)
        #expect(SHA256.hexDigest(bytes, implementation: implementation) == input.expected)
    }

    @Test(.enabled(if: SHA256.hardwareAvailable))
    func hardwareAndPortableAgreeOnEveryLengthUpTo300() {
        for count in 0...300 {
            let bytes = splitMixBytes(seed: UInt64(1000 + count), count: count)
            let portable = SHA256.digest(bytes, implementation: .portable)
            #expect(SHA256.digest(bytes, implementation: .hardware) == portable, "length \(count)")
            #expect(SHA256.digest(bytes) == portable, "length \(count), automatic")
        }
    }

    @Test(.enabled(if: SHA256.hardwareAvailable), arguments: [1 << 20, (1 << 20) + 63, 1_000_001])
    func hardwareAndPortableAgreeOnLargeInputs(count: Int) {
        let bytes = splitMixBytes(seed: UInt64(count), count: count)
        #expect(SHA256.digest(bytes, implementation: .hardware) == SHA256.digest(bytes, implementation: .portable))
    }

    /// Catches a broken CPUID check: where Linux reports the SHA extensions (and the SSSE3 and
    /// SSE4.1 the kernel also uses), the hardware path must be the one in use.
    @Test func hardwareIsDetectedWhereLinuxReportsIt() throws {
        #if os(Linux) && arch(x86_64)
            let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            let flagsLine = try #require(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") })
            let flags = Set(flagsLine.split(separator: " ").map(String.init))
            if flags.isSuperset(of: ["sha_ni", "ssse3", "sse4_1"]) {
                #expect(SHA256.hardwareAvailable)
            }
        #elseif !arch(x86_64)
            #expect(!SHA256.hardwareAvailable)
        #endif
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// `count` bytes of SplitMix64 output from `seed`, each word little-endian.
    private func splitMixBytes(seed: UInt64, count: Int) -> [UInt8] {
        var state = seed
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: z >> UInt64(shift))) }
        }
        return Array(bytes.prefix(count))
    }
}
