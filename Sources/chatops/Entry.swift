import ChatOpsServer
import ArgumentParser
@main struct Entry { static func main() {} }
