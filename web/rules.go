package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/components"
	"github.com/loupe-review/loupe/review"
)

// rules lists routing rules with the form to add one.
func (s *Server) rules(w http.ResponseWriter, r *http.Request) error {
	return s.renderRules(w, r, http.StatusOK, components.RulesProps{
		Notice: ruleNotices[r.URL.Query().Get("done")], Form: components.RuleForm{Enabled: true},
	})
}

var ruleNotices = map[string]string{"created": "Rule added.", "updated": "Rule saved.", "deleted": "Rule deleted."}

// fillRules loads what every rules page shows.
func (s *Server) fillRules(r *http.Request, p *components.RulesProps) error {
	var err error
	if p.Rules, err = s.store.FindRules(r.Context()); err != nil {
		return err
	}
	if p.Queues, err = s.store.FindQueueRefs(r.Context()); err != nil {
		return err
	}
	if p.Sources, err = s.store.FindSources(r.Context()); err != nil {
		return err
	}
	p.Page, p.CSRF = s.page(r, "Routing rules"), current(r).session.CSRFToken
	return nil
}

func (s *Server) renderRules(w http.ResponseWriter, r *http.Request, code int, p components.RulesProps) error {
	if err := s.fillRules(r, &p); err != nil {
		return err
	}
	s.render(w, r, code, components.Rules(p))
	return nil
}

// ruleFromForm reads a rule as typed; problems come back as a ValidationError.
func ruleFromForm(r *http.Request) (review.Rule, components.RuleForm, error) {
	f := components.RuleForm{
		Name: strings.TrimSpace(r.PostFormValue("name")), Scores: r.PostFormValue("scores"), LabelsAny: r.PostFormValue("labels_any"),
		Public: r.PostFormValue("public"), Priority: strings.TrimSpace(r.PostFormValue("priority")),
		Position: strings.TrimSpace(r.PostFormValue("position")), Enabled: r.PostFormValue("enabled") == "on",
		HashMatch: strings.TrimSpace(r.PostFormValue("hash_match")),
	}
	f.SourceID, _ = strconv.ParseInt(r.PostFormValue("source_id"), 10, 64)
	f.QueueID, _ = strconv.ParseInt(r.PostFormValue("queue_id"), 10, 64)
	rule := review.Rule{Name: f.Name, SourceID: f.SourceID, QueueID: f.QueueID, Enabled: f.Enabled}
	rule.Conditions.HashMatch = f.HashMatch
	var v review.ValidationError
	scores, err := review.ParseScores(f.Scores)
	if err != nil {
		v.Add("scores", err.(*review.ValidationError).Message())
	}
	rule.Conditions.Scores = scores
	for l := range strings.SplitSeq(f.LabelsAny, ",") {
		if l = strings.TrimSpace(l); l != "" {
			rule.Conditions.LabelsAny = append(rule.Conditions.LabelsAny, l)
		}
	}
	switch f.Public {
	case "yes", "no":
		pub := f.Public == "yes"
		rule.Conditions.Public = &pub
	}
	if f.Priority != "" {
		p, err := strconv.Atoi(f.Priority)
		if err != nil {
			v.Add("priority", "must be a whole number from 0 to 100")
		}
		rule.Priority = &p
	}
	if f.Position != "" {
		if rule.Position, err = strconv.Atoi(f.Position); err != nil {
			v.Add("position", "must be a whole number")
		}
	}
	if err := v.Err(); err != nil {
		return rule, f, err
	}
	return rule, f, rule.Validate()
}

func (s *Server) createRule(w http.ResponseWriter, r *http.Request) error {
	rule, form, err := ruleFromForm(r)
	if err == nil {
		ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionRuleCreated, Target: "rule:" + rule.Name,
			Details: map[string]string{"when": rule.Conditions.String(), "queue_id": strconv.FormatInt(rule.QueueID, 10)}}
		if _, err = s.store.CreateRule(r.Context(), rule, ev); err == nil {
			http.Redirect(w, r, "/rules?done=created", http.StatusSeeOther)
			return nil
		}
	}
	if code, msg := status(err); code < 500 {
		return s.renderRules(w, r, code, components.RulesProps{Error: msg, Form: form})
	}
	return err
}

// findRule returns the rule named by the path.
func (s *Server) findRule(r *http.Request) (review.Rule, error) {
	id, err := pathID(r)
	if err != nil {
		return review.Rule{}, err
	}
	rules, err := s.store.FindRules(r.Context())
	if err != nil {
		return review.Rule{}, err
	}
	for _, rule := range rules {
		if rule.ID == id {
			return rule, nil
		}
	}
	return review.Rule{}, review.ErrNotFound
}

func (s *Server) ruleDetail(w http.ResponseWriter, r *http.Request) error {
	rule, err := s.findRule(r)
	if err != nil {
		return err
	}
	form := components.RuleForm{
		ID: rule.ID, Name: rule.Name, SourceID: rule.SourceID, QueueID: rule.QueueID, Scores: review.FormatScores(rule.Conditions.Scores),
		LabelsAny: strings.Join(rule.Conditions.LabelsAny, ", "), Position: strconv.Itoa(rule.Position), Enabled: rule.Enabled,
		HashMatch: rule.Conditions.HashMatch,
	}
	if rule.Conditions.Public != nil {
		form.Public = map[bool]string{true: "yes", false: "no"}[*rule.Conditions.Public]
	}
	if rule.Priority != nil {
		form.Priority = strconv.Itoa(*rule.Priority)
	}
	return s.renderRuleEdit(w, r, http.StatusOK, components.RulesProps{Form: form})
}

func (s *Server) renderRuleEdit(w http.ResponseWriter, r *http.Request, code int, p components.RulesProps) error {
	if err := s.fillRules(r, &p); err != nil {
		return err
	}
	p.Page.Title = "Edit rule"
	s.render(w, r, code, components.RuleEditPage(p))
	return nil
}

func (s *Server) updateRule(w http.ResponseWriter, r *http.Request) error {
	old, err := s.findRule(r)
	if err != nil {
		return err
	}
	rule, form, err := ruleFromForm(r)
	rule.ID, form.ID = old.ID, old.ID
	if err == nil {
		ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionRuleUpdated, Target: "rule:" + rule.Name,
			Details: map[string]string{"when": rule.Conditions.String(), "enabled": strconv.FormatBool(rule.Enabled)}}
		if err = s.store.UpdateRule(r.Context(), rule, ev); err == nil {
			http.Redirect(w, r, "/rules?done=updated", http.StatusSeeOther)
			return nil
		}
	}
	if code, msg := status(err); code < 500 {
		return s.renderRuleEdit(w, r, code, components.RulesProps{Error: msg, Form: form})
	}
	return err
}

func (s *Server) deleteRule(w http.ResponseWriter, r *http.Request) error {
	rule, err := s.findRule(r)
	if err != nil {
		return err
	}
	ev := review.AuditEvent{Actor: current(r).user.Email, Action: review.ActionRuleDeleted, Target: "rule:" + rule.Name}
	if err := s.store.DeleteRule(r.Context(), rule.ID, ev); err != nil {
		return err
	}
	http.Redirect(w, r, "/rules?done=deleted", http.StatusSeeOther)
	return nil
}

// testRules shows where the current rules would send a past item.
func (s *Server) testRules(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("item"), 10, 64)
	if err != nil {
		return s.renderRules(w, r, http.StatusBadRequest, components.RulesProps{Error: "Give an item id (a number).", Form: components.RuleForm{Enabled: true}})
	}
	it, err := s.store.FindItemByID(r.Context(), id)
	if errors.Is(err, review.ErrNotFound) {
		return s.renderRules(w, r, http.StatusNotFound, components.RulesProps{Error: "There is no item with that id.", Form: components.RuleForm{Enabled: true}})
	}
	if err != nil {
		return err
	}
	rules, err := s.store.FindRules(r.Context())
	if err != nil {
		return err
	}
	test := &components.RuleTest{ItemID: it.ID, Queue: review.DefaultQueue, Current: it.Queue}
	matches, err := s.store.FindMatches(r.Context(), it.ID)
	if err != nil {
		return err
	}
	if rule, ok := review.Route(rules, it.SourceID, it.Metadata, matches); ok {
		test.Rule, test.Queue = rule.Name, rule.Queue
	}
	return s.renderRules(w, r, http.StatusOK, components.RulesProps{Test: test, Form: components.RuleForm{Enabled: true}})
}
