package jt808

// Alarm bits of a location (报警标志), JT/T 808-2013 with the 2019 changes. Vendors reuse the
// 2013 reserved bits 15–17 (G10LS: low battery, vibration, removal), so a mapping to events
// should allow per-model overrides.
const (
	AlarmSOS              = 1 << 0 // emergency button; cleared by the platform's ack
	AlarmOverspeed        = 1 << 1 // held while the condition lasts
	AlarmFatigue          = 1 << 2 // fatigue driving
	AlarmDanger           = 1 << 3 // 2013 danger warning (cleared by ack); 2019 dangerous driving (held)
	AlarmGNSSFault        = 1 << 4
	AlarmAntennaCut       = 1 << 5 // GNSS antenna disconnected
	AlarmAntennaShort     = 1 << 6
	AlarmUnderVoltage     = 1 << 7 // main power under-voltage
	AlarmPowerCut         = 1 << 8 // main power off
	AlarmDisplayFault     = 1 << 9
	AlarmTTSFault         = 1 << 10
	AlarmCameraFault      = 1 << 11
	AlarmICCardFault      = 1 << 12 // road-transport certificate IC card module
	AlarmOverspeedWarning = 1 << 13 // pre-alarm
	AlarmFatigueWarning   = 1 << 14 // pre-alarm
	AlarmIllegalDriving   = 1 << 15 // 2019 (reserved in 2013)
	AlarmTyrePressure     = 1 << 16 // 2019 (reserved in 2013)
	AlarmBlindSpot        = 1 << 17 // 2019 right-turn blind spot (reserved in 2013)
	AlarmDrivingOvertime  = 1 << 18 // daily accumulated driving time exceeded
	AlarmParkingOvertime  = 1 << 19
	AlarmArea             = 1 << 20 // entering/leaving an area; cleared by ack
	AlarmRoute            = 1 << 21 // entering/leaving a route; cleared by ack
	AlarmRouteTime        = 1 << 22 // segment driving time too short/long; cleared by ack
	AlarmRouteDeviation   = 1 << 23
	AlarmVSSFault         = 1 << 24 // vehicle speed sensor
	AlarmFuelAbnormal     = 1 << 25
	AlarmStolen           = 1 << 26
	AlarmIllegalIgnition  = 1 << 27 // cleared by ack
	AlarmIllegalMove      = 1 << 28 // illegal displacement; cleared by ack
	AlarmCollision        = 1 << 29 // 2019: collision or rollover
	AlarmRollover         = 1 << 30
	AlarmIllegalDoor      = 1 << 31 // 2013 only (reserved in 2019); cleared by ack
)

// Alarms the terminal clears when the platform acknowledges them ("收到应答后清零"); the others are
// held while their condition lasts.
const (
	alarmsClearedByAck2019 = AlarmSOS | AlarmArea | AlarmRoute | AlarmRouteTime | AlarmIllegalIgnition | AlarmIllegalMove
	alarmsClearedByAck2013 = alarmsClearedByAck2019 | AlarmDanger | AlarmIllegalDoor
)

// AlarmsClearedByAck returns the alarm bits a terminal clears once the platform acknowledges the
// report (0x8001, or 0x8203 for manual confirmation): bits 0, 20–22, 27 and 28, plus 3 and 31 in
// 2013. An alarm among them is an event, not a state; the others stay set while their condition
// lasts.
func AlarmsClearedByAck(version2019 bool) uint32 {
	if version2019 {
		return alarmsClearedByAck2019
	}
	return alarmsClearedByAck2013
}
