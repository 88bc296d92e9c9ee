import CatenaOCI
import CatenaOpenAI
import Foundation
import Testing

/// Oracle's published test values (see ../shared/reference/oci-request-signing.md), reproduced exactly.
@Suite struct OCISigningTests {
    static let pem = """
        -----BEGIN RSA PRIVATE KEY-----
        MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF
        NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F
        UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB
        AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA
        QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK
        kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg
        f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u
        412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc
        mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7
        kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA
        gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW
        G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI
        7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==
        -----END RSA PRIVATE KEY-----
        """
    /// The same key in PKCS#8 form (`openssl pkcs8 -topk8 -nocrypt`).
    static let pkcs8 = """
        -----BEGIN PRIVATE KEY-----
        MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBAMIUQ0bDffIaKHL3
        akONlCGXQLfqs8mP4K99ILz6rbyHEDXrVAU1R3XfC4JNRyrRB3aqwF7/aEXJzYMI
        kmDSHUvvz7pnhQxHsQ5yl91QT0d/eb+Gz4VRHjm4El4MrUdIUcPxscoPqS/wU8Z8
        lOi1z7bGMnChiL7WGqnV8h6RrGzJAgMBAAECgYEAlHxmQJS/HmTO/6612XtPkyei
        t1PVO+hdckZcrtln5S68w1QJ03ZA9ziwGIBBa8vDVxIq3kOwpnxQROlg/Lyk9iec
        MTPZ0NiJp7D37ESm5vJ5bagfhnHvXCoG04qSrCtdr+nN2mK5xFGOTq8TphjsQEGz
        +Du5qdWkaJs5UASyofUCQQDsOSNUfbxYNSB/Weq9+fYqPoJPuchwTeMYmxlnvOVm
        YGYcUM40wtStdH9mbelHmbS0KYGprlEr3m7jXaO3V08jAkEA0lPe/ymeS2HjxtCj
        98p6Xq4RjJuhG0Dn+4e4eRnoVAXs5SQaiByZImW451zm3qEjVWwufRBkSNBkwQ5a
        v7ApIwJBAILiRckSwcC97vug/oe0b8iISfuSnJRdE28WwMTRzOkkkG8v9pEVQnG5
        Er3WOGMLrywDs2wowaDk5dvkjkmPfrECQQCAhPtoU5gEXAaBABCRY0ou/JKApsBl
        FN4sFpykcy5B2XUN92e28DKqkBnSVjREqZYbpoUpqpB85coLJahSJWSdAkBeuWDJ
        IVyL/a54qUgTVCoiItJnxXw6WkUtGdvWnMjtTXJBedMAQVgznrTImXNSk5vVXhxJ
        wZ3frm2JIy/Es69M
        -----END PRIVATE KEY-----
        """
    static let keyID =
        "ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq/ocid1.user.oc1..aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgdaqedqw3rynjq/20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34"
    static let date = "Thu, 05 Jan 2014 21:31:40 GMT"
    static let getURL =
        "https://iaas.us-phoenix-1.oraclecloud.com/20160918/instances?availabilityDomain=Pjwf%3A%20PHX-AD-1&compartmentId=ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa&displayName=TeamXInstances&volumeId=ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q"
    static let postBody = """
        {
            "compartmentId": "ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa",
            "instanceId": "ocid1.instance.oc1.phx.abuw4ljrlsfiqw6vzzxb43vyypt4pkodawglp3wqxjqofakrwvou52gb6s5a",
            "volumeId": "ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q"
        }
        """

    static func signer() throws -> OCIRequestSigner {
        try OCIRequestSigner(keyID: keyID, privateKeyPEM: pem)
    }

    /// The `signature="…"` and `headers="…"` values of an authorization header.
    func parameter(_ name: String, in authorization: String) -> String? {
        guard let start = authorization.range(of: "\(name)=\"") else { return nil }
        let rest = authorization[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    @Test func getRequestMatchesThePublishedSignature() throws {
        let headers = try Self.signer().signatureHeaders(
            method: "GET", url: URL(string: Self.getURL)!, headers: ["date": Self.date], body: [])
        let authorization = try #require(headers["authorization"])
        #expect(headers["date"] == Self.date)
        #expect(headers["host"] == "iaas.us-phoenix-1.oraclecloud.com")
        #expect(parameter("headers", in: authorization) == "date (request-target) host")
        #expect(parameter("keyId", in: authorization) == Self.keyID)
        #expect(parameter("algorithm", in: authorization) == "rsa-sha256")
        #expect(
            parameter("signature", in: authorization)
                == "GBas7grhyrhSKHP6AVIj/h5/Vp8bd/peM79H9Wv8kjoaCivujVXlpbKLjMPeDUhxkFIWtTtLBj3sUzaFj34XE6YZAHc9r2DmE4pMwOAy/kiITcZxa1oHPOeRheC0jP2dqbTll8fmTZVwKZOKHYPtrLJIJQHJjNvxFWeHQjMaR7M="
        )
    }

    @Test func postRequestMatchesThePublishedSignature() throws {
        let body = Array(Self.postBody.utf8)
        #expect(body.count == 316)
        let headers = try Self.signer().signatureHeaders(
            method: "POST", url: URL(string: "https://iaas.us-phoenix-1.oraclecloud.com/20160918/volumeAttachments")!,
            headers: ["content-type": "application/json", "date": Self.date], body: body)
        let authorization = try #require(headers["authorization"])
        #expect(headers["x-content-sha256"] == "V9Z20UJTvkvpJ50flBzKE32+6m2zJjweHpDMX/U4Uy0=")
        #expect(headers["content-length"] == "316")
        #expect(
            parameter("headers", in: authorization)
                == "date (request-target) host content-length content-type x-content-sha256")
        #expect(
            parameter("signature", in: authorization)
                == "Mje8vIDPlwIHmD/cTDwRxE7HaAvBg16JnVcsuqaNRim23fFPgQfLoOOxae6WqKb1uPjYEl0qIdazWaBy/Ml8DRhqlocMwoSXv0fbukP8J5N80LCmzT/FFBvIvTB91XuXI3hYfP9Zt1l7S6ieVadHUfqBedWH0itrtPJBgKmrWso="
        )
    }

    @Test func signingStringsMatchThePublishedOnes() throws {
        let signer = try Self.signer()
        let get = """
            date: Thu, 05 Jan 2014 21:31:40 GMT
            (request-target): get /20160918/instances?availabilityDomain=Pjwf%3A%20PHX-AD-1&compartmentId=ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa&displayName=TeamXInstances&volumeId=ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q
            host: iaas.us-phoenix-1.oraclecloud.com
            """
        #expect(
            try signer.sign(get)
                == "GBas7grhyrhSKHP6AVIj/h5/Vp8bd/peM79H9Wv8kjoaCivujVXlpbKLjMPeDUhxkFIWtTtLBj3sUzaFj34XE6YZAHc9r2DmE4pMwOAy/kiITcZxa1oHPOeRheC0jP2dqbTll8fmTZVwKZOKHYPtrLJIJQHJjNvxFWeHQjMaR7M="
        )
    }

    @Test func pkcs8KeySignsLikeThePKCS1Key() throws {
        let pkcs8 = try OCIRequestSigner(keyID: Self.keyID, privateKeyPEM: Self.pkcs8)
        #expect(try pkcs8.sign("host: example.com") == (try Self.signer().sign("host: example.com")))
        #expect(throws: OCIConfigurationError.self) { try OCIRequestSigner(keyID: "k", privateKeyPEM: "not a key") }
    }

    // (The published date says Thursday; 5 January 2014 was a Sunday. The header is signed as given.)
    @Test func dateHeaderIsAddedWhenMissing() throws {
        let fixed = Date(timeIntervalSince1970: 1_389_000_000)
        let signer = try OCIRequestSigner(keyID: Self.keyID, privateKeyPEM: Self.pem, now: { fixed })
        let headers = try signer.signatureHeaders(
            method: "GET", url: URL(string: "https://h/p")!, headers: [:], body: [])
        #expect(headers["date"] == "Mon, 06 Jan 2014 09:20:00 GMT")
    }

    @Test func emptyPostBodyHashesToTheKnownValue() throws {
        let headers = try Self.signer().signatureHeaders(
            method: "POST", url: URL(string: "http://localhost:7000/x")!, headers: [:], body: [])
        #expect(headers["x-content-sha256"] == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        #expect(headers["content-length"] == "0")
        #expect(headers["host"] == "localhost:7000")
    }

    @Test func configProfilesInheritDefaultAndSessionTokensSignWithST() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "oci-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.pem.write(to: folder.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
        try "token-abc\n".write(to: folder.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        let config = """
            [DEFAULT]
            user=ocid1.user.oc1..u
            fingerprint=aa:bb
            key_file=\(folder.path)/key.pem
            tenancy=ocid1.tenancy.oc1..t
            region=us-ashburn-1

            [SESSION]
            security_token_file=\(folder.path)/token
            """
        try config.write(to: folder.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("config").path
        #expect(
            try OCIRequestSigner(profile: "DEFAULT", configPath: path).keyID
                == "ocid1.tenancy.oc1..t/ocid1.user.oc1..u/aa:bb")
        #expect(try OCIRequestSigner(profile: "SESSION", configPath: path).keyID == "ST$token-abc")
        #expect(throws: OCIConfigurationError.self) { try OCIRequestSigner(profile: "MISSING", configPath: path) }
        #expect(!"\(try OCIRequestSigner(profile: "DEFAULT", configPath: path))".contains("PRIVATE"))
    }
}
