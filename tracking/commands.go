package tracking

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fleet"
	"fleet/auth"
)

// TopicDownlink is the bus topic of commands for terminals; the instance holding the terminal's
// connection sends them.
const TopicDownlink = "jt808.downlink"

// Command kinds and their JT/T 808 message ids.
const (
	CommandText  = "text"  // 0x8300 文本信息下发
	CommandQuery = "query" // 0x8201 位置信息查询
)

// Command statuses.
const (
	CommandQueued   = "queued"   // published; no instance has sent it yet (terminal offline?)
	CommandSent     = "sent"     // written to the terminal's connection
	CommandAnswered = "answered" // the terminal replied (0x0001 or 0x0201)
)

// Command is a downlink message to a vehicle's terminal and what became of it.
type Command struct {
	ID         int64      `json:"id"`
	VehicleID  int64      `json:"vehicle_id"`
	Phone      string     `json:"phone"`
	MsgID      int        `json:"msg_id"`
	Serial     *int       `json:"serial"`
	Body       string     `json:"text"`
	Status     string     `json:"status"`
	Result     *int       `json:"result"` // the terminal's answer: 0 ok, 1 failed, 2 bad message, 3 unsupported
	CreatedBy  *int64     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	SentAt     *time.Time `json:"sent_at"`
	AnsweredAt *time.Time `json:"answered_at"`
}

func (Command) TableName() string { return "terminal_commands" }

// CommandInput is what a dispatcher sends: a text to show (and speak) on the terminal, or a
// location query.
type CommandInput struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// Downlink is the bus message that asks the instance holding a terminal to send a command.
type Downlink struct {
	CommandID int64  `json:"command_id"`
	Phone     string `json:"phone"`
	MsgID     int    `json:"msg_id"`
	Text      string `json:"text,omitempty"`
}

// SendCommand records a command for the vehicle's terminal and publishes it to every instance.
func (s *Service) SendCommand(ctx context.Context, a *auth.Actor, vehicleID int64, in CommandInput) (*Command, error) {
	if err := a.Require(auth.PermCommandsWrite); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	msgID := 0
	switch in.Type {
	case CommandText:
		msgID = 0x8300
		in.Text = p.Text("text", in.Text, true, 200)
	case CommandQuery:
		msgID = 0x8201
		in.Text = ""
	case "":
		p.Add("type", "required")
	default:
		p.Add("type", "must be text or query")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	phone, err := s.vehiclePhone(ctx, vehicleID)
	if err != nil {
		return nil, err
	}
	if phone == "" {
		return nil, fleet.Errorf(fleet.EConflict, "the vehicle has no terminal")
	}
	c := &Command{VehicleID: vehicleID, Phone: phone, MsgID: msgID, Body: in.Text, Status: CommandQueued, CreatedAt: s.opt.Now()}
	if a.UserID != 0 {
		c.CreatedBy = &a.UserID
	}
	if err := s.db.WithContext(ctx).Create(c).Error; err != nil {
		return nil, fmt.Errorf("tracking: save command: %w", err)
	}
	b, _ := json.Marshal(Downlink{CommandID: c.ID, Phone: phone, MsgID: msgID, Text: in.Text})
	if err := s.bus.Publish(ctx, TopicDownlink, b); err != nil {
		return nil, fleet.Errorf(fleet.EUnavailable, "the command could not be sent to the gateways")
	}
	return c, nil
}

// CommandSent records that the command went out with the given platform serial.
func (s *Service) CommandSent(ctx context.Context, id int64, serial uint16) error {
	now := s.opt.Now()
	return s.db.WithContext(ctx).Model(&Command{}).Where("id = ?", id).
		Updates(map[string]any{"status": CommandSent, "serial": int(serial), "sent_at": now}).Error
}

// CommandAnswered records the terminal's answer to the command it received with serial.
func (s *Service) CommandAnswered(ctx context.Context, phone string, serial uint16, result int) error {
	now := s.opt.Now()
	return s.db.WithContext(ctx).Model(&Command{}).
		Where("phone = ? AND serial = ? AND status = ?", NormalizePhone(phone), int(serial), CommandSent).
		Updates(map[string]any{"status": CommandAnswered, "result": result, "answered_at": now}).Error
}

// Commands lists the vehicle's latest commands, newest first.
func (s *Service) Commands(ctx context.Context, a *auth.Actor, vehicleID int64) ([]Command, error) {
	if err := a.Require(auth.PermLiveRead); err != nil {
		return nil, err
	}
	out := []Command{}
	err := s.db.WithContext(ctx).Where("vehicle_id = ?", vehicleID).Order("id DESC").Limit(100).Find(&out).Error
	return out, err
}
