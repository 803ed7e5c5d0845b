package jt808

// Message IDs. Terminal → platform IDs start with 0x0, platform → terminal ones with 0x8.
const (
	MsgTerminalResponse = 0x0001 // 终端通用应答, GeneralResponse
	MsgHeartbeat        = 0x0002 // 终端心跳, empty body (some vendors add data)
	MsgLogout           = 0x0003 // 终端注销, empty body
	MsgRegister         = 0x0100 // 终端注册, Register
	MsgAuth             = 0x0102 // 终端鉴权, Auth
	MsgLocation         = 0x0200 // 位置信息汇报, Location
	MsgLocationReply    = 0x0201 // 位置信息查询应答, LocationReply
	MsgBatch            = 0x0704 // 定位数据批量上传, Batch
	MsgPlatformResponse = 0x8001 // 平台通用应答, GeneralResponse
	MsgRegisterResponse = 0x8100 // 终端注册应答, RegisterResponse
	MsgLocationQuery    = 0x8201 // 位置信息查询, empty body
	MsgText             = 0x8300 // 文本信息下发, Text
)
