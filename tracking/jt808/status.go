package jt808

// Status bits of a location (状态位), JT/T 808-2013 with the 2019 additions.
const (
	StatusACC                     = 1 << 0  // ACC (ignition) on
	StatusPositioned              = 1 << 1  // the fix is valid
	StatusSouth                   = 1 << 2  // south latitude
	StatusWest                    = 1 << 3  // west longitude
	StatusOutOfService            = 1 << 4  // 停运状态
	StatusEncrypted               = 1 << 5  // lat/lng encrypted by a confidentiality plug-in
	StatusForwardCollisionWarning = 1 << 6  // 2019: forward-collision warning (reserved in 2013)
	StatusLaneDepartureWarning    = 1 << 7  // 2019: lane-departure warning (reserved in 2013)
	StatusLoadMask                = 3 << 8  // 00 empty, 01 half, 11 full
	StatusFuelCut                 = 1 << 10 // oil circuit cut
	StatusCircuitCut              = 1 << 11 // electric circuit cut
	StatusDoorsLocked             = 1 << 12
	StatusDoor1Open               = 1 << 13 // front door; doors 2–5 are the next bits
	StatusGPS                     = 1 << 18 // GPS used for the fix
	StatusBeiDou                  = 1 << 19
	StatusGLONASS                 = 1 << 20
	StatusGalileo                 = 1 << 21
	StatusDriving                 = 1 << 22 // 2019: vehicle in driving state (reserved in 2013)
)

// Positioned reports whether the fix is valid (status bit 1).
func (l *Location) Positioned() bool { return l.Status&StatusPositioned != 0 }

// ACC reports whether the ignition is on (status bit 0).
func (l *Location) ACC() bool { return l.Status&StatusACC != 0 }

// OutOfService reports the 停运 state (status bit 4).
func (l *Location) OutOfService() bool { return l.Status&StatusOutOfService != 0 }

// FuelCut reports whether the oil circuit is cut (status bit 10).
func (l *Location) FuelCut() bool { return l.Status&StatusFuelCut != 0 }

// CircuitCut reports whether the electric circuit is cut (status bit 11).
func (l *Location) CircuitCut() bool { return l.Status&StatusCircuitCut != 0 }

// DoorsLocked reports status bit 12.
func (l *Location) DoorsLocked() bool { return l.Status&StatusDoorsLocked != 0 }

// DoorOpen reports whether door n (1 front, 2 middle, 3 rear, 4 driver's, 5 custom) is open.
func (l *Location) DoorOpen(n int) bool {
	return n >= 1 && n <= 5 && l.Status&(StatusDoor1Open<<(n-1)) != 0
}

// Driving reports the 2019 driving-state bit 22.
func (l *Location) Driving() bool { return l.Status&StatusDriving != 0 }

// Load returns the load state, bits 8–9: 0 empty, 1 half load, 3 full load.
func (l *Location) Load() byte { return byte(l.Status & StatusLoadMask >> 8) }

// HasAlarm reports whether any of the alarm bits is set.
func (l *Location) HasAlarm(bits uint32) bool { return l.Alarm&bits != 0 }
