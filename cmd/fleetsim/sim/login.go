package sim

import (
	"errors"
	"fmt"
	"net"
	"time"

	"fleet/tracking/jt808"
)

// login registers when the terminal has no auth code (or the platform no longer takes it) and
// authenticates.
func (t *terminal) login(c net.Conn, fr *frameReader, out *[]byte) error {
	st := &t.sim.st
	defer c.SetReadDeadline(time.Time{})
	t.mu.Lock()
	code := t.authCode
	t.mu.Unlock()
	if code != "" {
		ok, err := t.authenticate(c, fr, out, code)
		if err != nil || ok {
			return err
		}
	}
	body := jt808.AppendRegister(nil, jt808.Register{Province: 36, City: 900, Maker: "FSIM", Model: "FLEETSIM-1",
		TerminalID: t.phone.String()[max(0, t.phone.Len()-7):], PlateColor: jt808.PlateNone, Plate: "LFSIM" + t.phone.String()}, t.v2019)
	p, err := t.call(c, fr, out, jt808.MsgRegister, body, func(p jt808.Packet, serial uint16) bool {
		if p.MsgID != jt808.MsgRegisterResponse {
			return false
		}
		r, err := jt808.ParseRegisterResponse(p.Body)
		return err == nil && r.Serial == serial
	})
	if err != nil {
		return err
	}
	r, _ := jt808.ParseRegisterResponse(p.Body)
	if r.Result != jt808.RegisterOK {
		t.sim.refuse(t.phone.String(), r.Result)
		return errRefused
	}
	t.mu.Lock()
	first := !t.registered
	t.registered, t.authCode = true, r.AuthCode
	t.mu.Unlock()
	if first {
		st.registered.Add(1)
	}
	ok, err := t.authenticate(c, fr, out, r.AuthCode)
	if err == nil && !ok {
		err = fmt.Errorf("fleetsim: %s: a fresh auth code was refused", t.phone)
	}
	return err
}

// authenticate sends 0x0102 and reports whether the platform took the code.
func (t *terminal) authenticate(c net.Conn, fr *frameReader, out *[]byte, code string) (bool, error) {
	body := jt808.AppendAuth(nil, jt808.Auth{Code: code, IMEI: "86" + t.phone.String(), SoftwareVersion: "fleetsim-1"}, t.v2019)
	p, err := t.call(c, fr, out, jt808.MsgAuth, body, func(p jt808.Packet, serial uint16) bool {
		if p.MsgID != jt808.MsgPlatformResponse {
			return false
		}
		r, err := jt808.ParseGeneralResponse(p.Body)
		return err == nil && r.Serial == serial && r.MsgID == jt808.MsgAuth
	})
	if err != nil {
		return false, err
	}
	if r, _ := jt808.ParseGeneralResponse(p.Body); r.Result != jt808.ResultOK {
		t.mu.Lock()
		t.authCode = ""
		t.mu.Unlock()
		return false, nil
	}
	return true, nil
}

// call sends a message and reads until answer accepts a packet, re-sending it (same serial) as
// JT/T 808 terminals do: the n-th re-send after the ack timeout × (n+1), MaxRetries times.
func (t *terminal) call(c net.Conn, fr *frameReader, out *[]byte, msgID uint16, body []byte, answer func(jt808.Packet, uint16) bool) (jt808.Packet, error) {
	serial, err := t.request(c, out, msgID, body)
	if err != nil {
		return jt808.Packet{}, err
	}
	frame := append([]byte(nil), *out...)
	for try := 0; ; try++ {
		c.SetReadDeadline(time.Now().Add(t.sim.cfg.AckTimeout * time.Duration(try+1)))
		for {
			p, err := fr.packet(c, &t.sim.st)
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && try < t.sim.cfg.MaxRetries {
				break
			}
			if err != nil {
				return jt808.Packet{}, err
			}
			if answer(p, serial) {
				return p, nil
			}
		}
		t.sim.st.resentLogins.Add(1)
		if err := t.write(c, frame); err != nil {
			return jt808.Packet{}, err
		}
	}
}
