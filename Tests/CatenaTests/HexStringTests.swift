@testable import Catena
import Testing

struct HexStringTests {
    @Test func bytesAreTwoLowercaseDigitsEach() {
        #expect([UInt8]([0x00, 0x0f, 0xa5, 0xff, 0x10]).hexString == "000fa5ff10")
        #expect([UInt8]().hexString == "")
    }
}
