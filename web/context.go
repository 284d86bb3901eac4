package web

import (
	"context"
	"errors"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// decisionContext gathers what a lead sees beside an item: its decisions'
// escalation, the uploader's history on the source, its report case.
func (s *Server) decisionContext(ctx context.Context, it review.Item, u review.User) (components.ContextProps, error) {
	p := components.ContextProps{ItemID: it.ID, Links: u.Roles.Has(review.RoleLead)}
	ds, err := s.store.FindDecisions(ctx, it.ID)
	if err != nil {
		return p, err
	}
	p.Decisions = ds
	if e, ok := review.Escalation(ds); ok {
		p.Escalation = &e
	}
	if p.History, err = s.store.FindUploaderHistory(ctx, it); err != nil {
		return p, err
	}
	c, err := s.store.FindCaseOfItem(ctx, it.ID)
	switch {
	case err == nil:
		p.CaseID = c.ID
	case !errors.Is(err, review.ErrNotFound):
		return p, err
	}
	return p, nil
}

// escalationContext is the context on the review screen: only for a lead
// deciding an escalated item; nil otherwise.
func (s *Server) escalationContext(ctx context.Context, it review.Item, u review.User) (*components.ContextProps, error) {
	if it.Status != review.StatusEscalated || !u.Roles.Has(review.RoleLead) {
		return nil, nil
	}
	p, err := s.decisionContext(ctx, it, u)
	p.ShowItem = true
	return &p, err
}
