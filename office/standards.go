package office

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// StandardSet is the standards of one level as the console shows and edits them.
type StandardSet struct {
	Level     string     `json:"level"` // the level the figures use
	Standards []Standard `json:"standards"`
}

// Standards returns the standards of the service's level (or of level, when given).
func (s *Service) Standards(ctx context.Context, a *auth.Actor, level string) (*StandardSet, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	if level == "" {
		level = s.opt.Level
	}
	if !levels[level] {
		return nil, fleet.Invalid(map[string]string{"level": "must be central, province, city or county"})
	}
	rows, err := standardRows(s.read(ctx), level)
	if err != nil {
		return nil, err
	}
	out := &StandardSet{Level: level, Standards: make([]Standard, 0, len(rows))}
	for _, r := range rows {
		st := Standard{Level: r.Level, Kind: r.Kind, Code: r.Code, Name: r.Name, Source: r.Source}
		v := r.Value
		if r.Kind == KindEquipment {
			st.Ratio = &v
		} else {
			st.AreaM2 = &v
		}
		out.Standards = append(out.Standards, st)
	}
	return out, nil
}

// UpdateStandards replaces the standards of a level. A rank some user still holds cannot be
// removed (unless another level still lists it); the figures use the new values at once.
func (s *Service) UpdateStandards(ctx context.Context, a *auth.Actor, in StandardsInput) (*StandardSet, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	if err := in.validate(s.opt.Level); err != nil {
		return nil, err
	}
	now := s.now()
	rows := make([]standardRow, len(in.Standards))
	for i, st := range in.Standards {
		r := standardRow{Level: in.Level, Kind: st.Kind, Code: st.Code, Name: st.Name, Position: i + 1, Source: st.Source}
		if st.Kind == KindEquipment {
			r.Value = *st.Ratio
		} else {
			r.Value = *st.AreaM2
		}
		if a.UserID != 0 {
			id := a.UserID
			r.UpdatedBy = &id
		}
		rows[i] = r
	}
	var before, after []string
	err := s.tx(ctx, func(tx *gorm.DB) error {
		old, err := standardRows(tx, in.Level)
		if err != nil {
			return err
		}
		kept := map[string]bool{}
		for _, r := range rows {
			kept[r.Kind+"/"+r.Code] = true
			after = append(after, standardText(r))
		}
		for _, o := range old {
			before = append(before, standardText(o))
			if o.Kind != KindPerson || kept[o.Kind+"/"+o.Code] {
				continue
			}
			if n, err := rankElsewhere(tx, o.Code, in.Level); err != nil || n > 0 {
				if err != nil {
					return err
				}
				continue
			}
			if n, err := usersWithRank(tx, o.Code); err != nil {
				return err
			} else if n > 0 {
				return &fleet.Error{Code: fleet.EConflict, Message: fmt.Sprintf("rank %s is held by %d users; change their rank first", o.Code, n),
					Fields: map[string]string{"standards": "rank " + o.Code + " is still in use"}}
			}
		}
		if err := replaceStandards(tx, in.Level, rows, now); err != nil {
			return err
		}
		return s.change(tx, a, now, changeRow{Subject: "standard", Action: "update",
			FromValue: strings.Join(before, "；"), ToValue: strings.Join(after, "；"), Reason: levelNames[in.Level] + "机关办公用房标准"})
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_standards_update", "office_standards:"+in.Level, fmt.Sprintf("%d rows", len(rows)))
	return s.Standards(ctx, a, in.Level)
}

func standardText(r standardRow) string {
	if r.Kind == KindEquipment {
		return fmt.Sprintf("%s %g", r.Name, r.Value)
	}
	return fmt.Sprintf("%s %g m²", r.Name, r.Value)
}
