package tracking

import "context"

// alarmNames names the JT/T 808 alarm bits (see ../shared/jt808/REFERENCE.md §2.6).
var alarmNames = [32]string{
	"sos", "overspeed", "fatigue", "danger_warning", "gnss_fault", "antenna_cut", "antenna_short", "under_voltage",
	"power_cut", "display_fault", "tts_fault", "camera_fault", "ic_card_fault", "overspeed_warning", "fatigue_warning", "illegal_driving",
	"tyre_pressure", "blind_spot", "driving_overtime", "parking_overtime", "area", "route", "route_time", "route_deviation",
	"vss_fault", "fuel_abnormal", "stolen", "illegal_ignition", "illegal_move", "collision", "rollover", "illegal_door",
}

// detectAlarms raises an alarm event when a terminal alarm bit goes on and closes it when the
// bit goes off.
func detectAlarms(ctx context.Context, s *Service, st *vstate, p *Point) {
	changed := st.alarms ^ p.Alarm
	if changed == 0 {
		return
	}
	for bit := 0; bit < 32; bit++ {
		mask := uint32(1) << bit
		if changed&mask == 0 {
			continue
		}
		if p.Alarm&mask != 0 {
			st.alarmEvent[bit] = s.raise(ctx, EventAlarm, p, false, map[string]any{"bit": bit, "alarm": alarmNames[bit]})
		} else if id, ok := st.alarmEvent[bit]; ok {
			s.end(ctx, id, p, nil)
			delete(st.alarmEvent, bit)
		}
	}
	st.alarms = p.Alarm
}
