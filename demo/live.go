package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/auth"
	"fleet/dispatch"
)

// The live demo: while fleetd runs in demo mode, the county's staff keep asking for cars. Every
// few minutes one of them files a request for later today or tomorrow (now and then an
// emergency, in the queue at once) through the dispatch desk, so it reaches the unit head's
// approvals and the dispatcher's queue as a real one would. The unit heads approve some of the
// waiting requests as time goes on — 县财政局's wait for whoever signs in as demo_leader — and an
// applicant whose request was never served cancels it once its time has passed, so the queue
// keeps work in every state without growing for ever.

// LiveOptions tune the live requests; the zero value files one every 2 to 5 minutes.
type LiveOptions struct {
	// Every is the mean time between two requests: each wait is drawn between 4/7 and 10/7 of
	// it (2 to 5 minutes with the default 3.5 minutes).
	Every time.Duration
	// ApproveShare is the chance that a unit head decides a waiting request at a round; default 0.5.
	ApproveShare float64
	// EmergencyShare is the share of emergencies among the requests; default 0.15.
	EmergencyShare float64
	Location       *time.Location // the county's zone; default Asia/Shanghai
	Now            func() time.Time
	Logger         *slog.Logger
}

func (o LiveOptions) withDefaults() LiveOptions {
	if o.Every <= 0 {
		o.Every = 3*time.Minute + 30*time.Second
	}
	if o.ApproveShare <= 0 {
		o.ApproveShare = 0.5
	}
	if o.EmergencyShare <= 0 {
		o.EmergencyShare = 0.15
	}
	if o.Location == nil {
		o.Location = countyZone()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// live files the requests.
type live struct {
	desk       *dispatch.Desk
	approvals  *approval.Service
	opt        LiveOptions
	rng        *rand.Rand
	dispatcher *auth.Actor
	units      []*unitPeople          // the applicants' units that have their people
	staff      map[string]*auth.Actor // by unit name
	byUser     map[int64]*auth.Actor  // the applicants, by user id
	heads      map[int64]*auth.Actor  // by unit id
}

// StartLive starts filing requests in the background, through desk (and approvals for the unit
// heads' decisions), as the demo's people (SeedHistory adds the staff of most units; without
// them only 县财政局's demo_staff asks). The returned stop ends it and waits until it has. With
// the demo's dispatcher or every applicant gone (an admin removed them), it says so in the log
// and files nothing.
func StartLive(ctx context.Context, desk *dispatch.Desk, approvals *approval.Service, a *auth.Service, opt LiveOptions) (stop func(), err error) {
	opt = opt.withDefaults()
	l := &live{desk: desk, approvals: approvals, opt: opt, rng: rand.New(rand.NewPCG(uint64(opt.Now().UnixNano()), 11)),
		staff: map[string]*auth.Actor{}, byUser: map[int64]*auth.Actor{}, heads: map[int64]*auth.Actor{}}
	if err := l.findPeople(ctx, a); err != nil {
		return nil, fmt.Errorf("demo: live requests: %w", err)
	}
	if l.dispatcher == nil || len(l.units) == 0 {
		opt.Logger.Warn("demo: no live requests: the demo dispatcher or every demo applicant with a unit head is missing")
		return func() {}, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.run(ctx)
	}()
	return func() { cancel(); <-done }, nil
}

// findPeople looks the demo's dispatcher, applicants and unit heads up by username.
func (l *live) findPeople(ctx context.Context, a *auth.Service) error {
	find := func(username string) (*auth.Actor, bool, error) {
		id, err := a.FindUserID(ctx, username)
		if fleet.ErrorCode(err) == fleet.ENotFound {
			return nil, false, nil // a login the admin removed: that unit does not ask
		}
		if err != nil {
			return nil, false, err
		}
		u, err := a.GetUser(ctx, auth.System, id)
		if err != nil {
			return nil, false, err
		}
		return actorOf(u), !u.Disabled, nil
	}
	d, ok, err := find("demo_dispatcher")
	if err != nil || !ok {
		return err
	}
	l.dispatcher = d
	for i := range applicants {
		u := &applicants[i]
		head := u.head
		if u.headLogin != "" {
			head = u.headLogin
		}
		s, okS, err := find(u.staff)
		if err != nil {
			return err
		}
		h, okH, err := find(head)
		if err != nil {
			return err
		}
		if !okS || !okH || s.UnitID != h.UnitID {
			continue
		}
		l.units = append(l.units, u)
		l.staff[u.unit], l.byUser[s.UserID], l.heads[s.UnitID] = s, s, h
	}
	return nil
}

// run does a round after each wait until ctx ends.
func (l *live) run(ctx context.Context) {
	for {
		t := time.NewTimer(l.wait())
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		l.round(ctx)
	}
}

// wait is the time to the next round: 4/7 to 10/7 of Every.
func (l *live) wait() time.Duration {
	lo := l.opt.Every * 4 / 7
	return lo + time.Duration(l.rng.Int64N(int64(l.opt.Every*6/7)+1))
}

// round tidies the late requests away, lets the heads decide, and files a new request.
func (l *live) round(ctx context.Context) {
	q, err := l.desk.DispatchQueue(ctx, l.dispatcher)
	if err == nil {
		l.tidy(ctx, q.Late)
		l.decide(ctx, append(q.Pending, q.Approved...))
	}
	var r *dispatch.Request
	if err == nil {
		r, err = l.file(ctx)
	}
	if err != nil {
		if ctx.Err() == nil {
			l.opt.Logger.Warn("demo: live request", slog.Any("error", err))
		}
		return
	}
	l.opt.Logger.Info("demo: a request arrives", slog.Int64("request_id", r.ID), slog.String("unit", r.Unit),
		slog.String("priority", r.Priority), slog.Time("depart_at", r.DepartAt))
}

// tidy: an applicant whose request was never served cancels it half an hour after its time.
func (l *live) tidy(ctx context.Context, late []dispatch.Request) {
	now := l.opt.Now()
	for _, r := range late {
		a, ours := l.byUser[r.ApplicantID]
		if !ours || r.Task != nil || (r.Status != dispatch.ReqSubmitted && r.Status != dispatch.ReqApproved) ||
			now.Before(r.DepartAt.Add(30*time.Minute)) {
			continue
		}
		if _, err := l.desk.CancelRequest(ctx, a, r.ID, dispatch.CancelInput{Reason: "行程有变，取消用车"}); err != nil && ctx.Err() == nil {
			l.opt.Logger.Info("demo: a late request stays", slog.Int64("request_id", r.ID), slog.Any("error", err))
		}
	}
}

// decide: the heads approve (now and then reject) some of the requests waiting for them, once a
// request has waited half a round; 县财政局's are left for demo_leader.
func (l *live) decide(ctx context.Context, waiting []dispatch.Request) {
	now := l.opt.Now()
	for _, r := range waiting {
		head, ours := l.heads[r.UnitID]
		if _, applicant := l.byUser[r.ApplicantID]; !ours || !applicant || r.ApprovalID == nil ||
			r.ApprovalStatus != approval.StatusPending || head.Username == "demo_leader" {
			continue
		}
		if r.SubmittedAt == nil || now.Sub(*r.SubmittedAt) < l.opt.Every/2 || l.rng.Float64() >= l.opt.ApproveShare {
			continue
		}
		in := approval.ActionInput{Action: approval.ActApprove, Comment: []string{"", "同意", "同意，注意安全"}[l.rng.IntN(3)]}
		if r.Priority != dispatch.PriorityEmergency && l.rng.Float64() < 0.1 {
			in = approval.ActionInput{Action: approval.ActReject, Comment: "请与本单位其他用车合并出行"}
		}
		if _, err := l.approvals.Act(ctx, head, *r.ApprovalID, in); err != nil && ctx.Err() == nil {
			l.opt.Logger.Info("demo: a head's decision not taken", slog.Int64("request_id", r.ID), slog.Any("error", err))
		}
	}
}

// file: a random applicant asks for a car, later today or on the next working day (an
// emergency: within the hour).
func (l *live) file(ctx context.Context) (*dispatch.Request, error) {
	u := l.units[l.rng.IntN(len(l.units))]
	emergency := l.rng.Float64() < l.opt.EmergencyShare
	if emergency {
		var able []*unitPeople
		for _, x := range l.units {
			if len(x.emergencyPurposes) > 0 {
				able = append(able, x)
			}
		}
		if emergency = len(able) > 0; emergency {
			u = able[l.rng.IntN(len(able))]
		}
	}
	p := &planner{rng: l.rng, loc: l.opt.Location}
	now := l.opt.Now().In(l.opt.Location)
	var t *trip
	if emergency {
		t = p.emergencyTrip(now.Add(time.Duration(20+l.rng.IntN(20))*time.Minute).Truncate(time.Minute), u)
	} else {
		t = p.workTrip(l.nextDay(now), u)
		if soonest := now.Add(time.Hour); t.depart.Before(soonest) {
			// Today, an hour or more from now.
			shift := soonest.Sub(t.depart).Round(15*time.Minute) + 15*time.Minute
			t.depart, t.ret = t.depart.Add(shift), t.ret.Add(shift)
		}
	}
	return l.desk.CreateRequest(ctx, l.staff[u.unit], t.requestInput())
}

// nextDay is the day of the next ordinary request: today when a trip can still leave this
// afternoon, else the next working day.
func (l *live) nextDay(now time.Time) time.Time {
	day := midnight(now)
	wd := day.Weekday()
	if wd != time.Saturday && wd != time.Sunday && now.Hour() < 13 {
		return day
	}
	for day = day.AddDate(0, 0, 1); day.Weekday() == time.Saturday || day.Weekday() == time.Sunday; day = day.AddDate(0, 0, 1) {
	}
	return day
}
