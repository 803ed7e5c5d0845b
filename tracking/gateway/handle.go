package gateway

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fleet"
	"fleet/tracking"
	"fleet/tracking/jt808"
)

// Results of the platform's general response (0x8001).
const (
	resultOK          = 0
	resultFailure     = 1
	resultBadMessage  = 2
	resultUnsupported = 3
	resultAlarmAck    = 4
)

// Results of the registration response (0x8100).
const (
	registerOK         = 0
	registerNoTerminal = 4
)

type trackingPoint = tracking.Point

// frame handles one frame's escaped bytes. It returns an error only when the connection must
// close; a bad frame is dropped, counted and answered where it can be.
func (ss *session) frame(ctx context.Context, escaped []byte) error {
	if cap(ss.buf) < len(escaped) { // unescaping never lengthens a frame
		ss.buf = make([]byte, 0, len(escaped))
	}
	p, err := jt808.DecodeFrame(ss.buf[:0], escaped)
	if err != nil {
		ss.srv.m.badFrame(err)
		ss.bad++
		if ss.bad >= ss.srv.cfg.MaxBadFrames {
			ss.srv.log.Info("jt808: closing a connection that sends only bad frames", slog.String("remote", ss.conn.RemoteAddr().String()))
			return errors.New("too many bad frames")
		}
		return nil
	}
	ss.bad = 0
	ss.srv.m.frames.Inc()
	if p.Encrypted != 0 {
		ss.respond(p.Header, resultUnsupported)
		return nil
	}
	body := p.Body
	if p.Subpackaged {
		whole, complete, err := ss.reasm.Add(p, time.Now())
		if err != nil {
			ss.srv.m.badFrame(err)
			ss.respond(p.Header, resultBadMessage)
			return nil
		}
		if !complete {
			ss.respond(p.Header, resultOK) // each packet is acknowledged as it comes
			return nil
		}
		body = whole
	}
	return ss.message(ctx, p.Header, body)
}

// message answers one complete message.
func (ss *session) message(ctx context.Context, h jt808.Header, body []byte) error {
	switch h.MsgID {
	case jt808.MsgHeartbeat:
		if ss.authed.Load() {
			ss.srv.track.Touch(ss.vehicleID)
		}
		ss.respond(h, resultOK)
	case jt808.MsgRegister:
		offStack(func() { ss.register(ctx, h, body) })
	case jt808.MsgAuth:
		offStack(func() { ss.authenticate(ctx, h, body) })
	case jt808.MsgLocation:
		return ss.location(ctx, h, body)
	case jt808.MsgBatch:
		return ss.batch(ctx, h, body)
	case jt808.MsgLocationReply:
		return ss.locationReply(ctx, h, body)
	case jt808.MsgTerminalResponse:
		if r, err := jt808.ParseGeneralResponse(body); err == nil && ss.authed.Load() {
			if err := ss.srv.track.CommandAnswered(ctx, ss.phone, r.Serial, int(r.Result)); err != nil {
				ss.srv.log.Warn("jt808: record command answer", slog.Any("error", err))
			}
		}
	case jt808.MsgLogout:
		ss.respond(h, resultOK)
		return errors.New("logout")
	default:
		ss.respond(h, resultUnsupported)
	}
	return nil
}

// respond sends the platform's general response to the message of h.
func (ss *session) respond(h jt808.Header, result byte) {
	ss.wbuf = jt808.AppendGeneralResponse(ss.wbuf[:0], jt808.GeneralResponse{Serial: h.Serial, MsgID: h.MsgID, Result: result})
	ss.send(jt808.Header{MsgID: jt808.MsgPlatformResponse, Phone: h.Phone, Version2019: h.Version2019}, ss.wbuf)
}

func (ss *session) register(ctx context.Context, h jt808.Header, body []byte) {
	reg, err := jt808.ParseRegister(body, h.Version2019)
	if err != nil {
		ss.srv.m.badFrame(err)
		ss.respond(h, resultBadMessage)
		return
	}
	ss.v2019 = h.Version2019
	version := 2013
	if h.Version2019 {
		version = 2019
	}
	_, code, err := ss.srv.track.Register(ctx, h.Phone.String(), tracking.Registration{ProtocolVersion: version,
		Maker: reg.Maker, Model: reg.Model, TerminalID: reg.TerminalID, PlateColor: int(reg.PlateColor), Plate: reg.Plate})
	resp := jt808.RegisterResponse{Serial: h.Serial, Result: registerOK, AuthCode: code}
	switch {
	case fleet.ErrorCode(err) == fleet.ENotFound:
		ss.srv.m.registrations.WithLabelValues("unknown").Inc()
		resp = jt808.RegisterResponse{Serial: h.Serial, Result: registerNoTerminal}
	case err != nil:
		ss.srv.log.Warn("jt808: register", slog.Any("error", err))
		ss.respond(h, resultFailure)
		return
	default:
		ss.srv.m.registrations.WithLabelValues("ok").Inc()
	}
	ss.wbuf = jt808.AppendRegisterResponse(ss.wbuf[:0], resp)
	ss.send(jt808.Header{MsgID: jt808.MsgRegisterResponse, Phone: h.Phone, Version2019: h.Version2019}, ss.wbuf)
}

func (ss *session) authenticate(ctx context.Context, h jt808.Header, body []byte) {
	a, err := jt808.ParseAuth(body, h.Version2019)
	if err != nil {
		ss.srv.m.badFrame(err)
		ss.respond(h, resultBadMessage)
		return
	}
	vehicleID, err := ss.srv.track.Authenticate(ctx, h.Phone.String(), a.Code)
	if err != nil {
		// Failure tells the terminal to register again and get a fresh code.
		if fleet.ErrorCode(err) != fleet.EUnauthorized {
			ss.srv.log.Warn("jt808: authenticate", slog.Any("error", err))
		}
		ss.srv.m.auths.WithLabelValues("failed").Inc()
		ss.respond(h, resultFailure)
		return
	}
	ss.v2019, ss.wirePhone, ss.vehicleID = h.Version2019, h.Phone, vehicleID
	ss.phone = tracking.NormalizePhone(h.Phone.String())
	ss.authed.Store(true)
	ss.srv.bind(ss)
	ss.srv.m.auths.WithLabelValues("ok").Inc()
	ss.srv.track.Touch(vehicleID)
	ss.respond(h, resultOK)
}

// location stores one 0x0200 and acknowledges it after the commit; before authentication it is
// refused (result 1) and not stored.
func (ss *session) location(ctx context.Context, h jt808.Header, body []byte) error {
	if !ss.authed.Load() {
		ss.srv.m.unauthenticated.Inc()
		ss.respond(h, resultFailure)
		return nil
	}
	if err := jt808.ParseLocation(body, &ss.loc); err != nil {
		ss.srv.m.badFrame(err)
		ss.respond(h, resultBadMessage)
		return nil
	}
	ss.pointsB = append(ss.pointsB[:0], ss.point(&ss.loc, false))
	return ss.store(ctx, h, ss.pointsB, ss.loc.Alarm)
}

// batch stores a 0x0704: blind-zone points (type 1) as history that raises nothing live.
func (ss *session) batch(ctx context.Context, h jt808.Header, body []byte) error {
	if !ss.authed.Load() {
		ss.srv.m.unauthenticated.Inc()
		ss.respond(h, resultFailure)
		return nil
	}
	b := &ss.batchB
	if err := jt808.ParseBatch(body, b); err != nil {
		ss.srv.m.badFrame(err)
		ss.respond(h, resultBadMessage)
		return nil
	}
	ss.pointsB = ss.pointsB[:0]
	var alarms uint32
	for i := range b.Locations {
		ss.pointsB = append(ss.pointsB, ss.point(&b.Locations[i], b.Type == 1))
		if b.Type != 1 {
			alarms |= b.Locations[i].Alarm
		}
	}
	return ss.store(ctx, h, ss.pointsB, alarms)
}

// locationReply stores the answer to a location query and records the command answered.
func (ss *session) locationReply(ctx context.Context, h jt808.Header, body []byte) error {
	if !ss.authed.Load() {
		ss.respond(h, resultFailure)
		return nil
	}
	var r jt808.LocationReply
	if err := jt808.ParseLocationReply(body, &r); err != nil {
		ss.srv.m.badFrame(err)
		ss.respond(h, resultBadMessage)
		return nil
	}
	if err := ss.srv.track.CommandAnswered(ctx, ss.phone, r.Serial, resultOK); err != nil {
		ss.srv.log.Warn("jt808: record command answer", slog.Any("error", err))
	}
	ss.pointsB = append(ss.pointsB[:0], ss.point(&r.Location, false))
	return ss.store(ctx, h, ss.pointsB, r.Location.Alarm)
}

// store takes points through the pipeline and acknowledges only after they are committed. When
// the store is down there is no answer at all: the terminal keeps its points and sends them again.
func (ss *session) store(ctx context.Context, h jt808.Header, pts []tracking.Point, alarms uint32) error {
	start := time.Now()
	if _, err := ss.srv.track.Ingest(ctx, pts); err != nil {
		ss.srv.m.unacked.Inc()
		if ctx.Err() != nil {
			return err
		}
		return nil
	}
	ss.srv.m.ackLatency.Observe(time.Since(start).Seconds())
	result := byte(resultOK)
	if alarms&jt808.AlarmsClearedByAck(ss.v2019) != 0 {
		// 0x8001 result 4 confirms the alarm: the terminal clears the bits that the standard
		// clears on acknowledgement (SOS, early warnings ...).
		result = resultAlarmAck
	}
	ss.respond(h, result)
	return nil
}

// point converts a decoded location of this session's vehicle.
func (ss *session) point(l *jt808.Location, blind bool) tracking.Point {
	l.FixWeekRollover(time.Now())
	p := tracking.Point{
		VehicleID: ss.vehicleID, FixedAt: l.Time, Lat: l.Lat, Lng: l.Lng, SpeedKmh: l.SpeedKmh,
		Course: int(l.Course), Altitude: l.Altitude, ACC: l.ACC(), Alarm: l.Alarm, Status: l.Status,
		Positioned: l.Positioned(), Blind: blind, Source: tracking.SourceJT808,
	}
	if l.Items.HasMileage {
		p.MileageKm, p.HasMileage = l.Items.Mileage, true
	}
	if l.Items.HasFuel {
		p.FuelL, p.HasFuel = l.Items.Fuel, true
	}
	return p
}

// offStack runs fn on a goroutine of its own and waits for it. Registration and authentication
// go deep into the database driver; on the session's goroutine that would grow its stack for the
// life of the connection, and 10,000 idle terminals would each keep the grown stack.
func offStack(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
}
