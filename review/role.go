package review

import (
	"fmt"
	"slices"
	"strings"
)

// Role is what a person may do in Loupe. A person may hold several.
type Role string

const (
	RoleReviewer  Role = "reviewer"
	RoleLead      Role = "lead"
	RoleWellbeing Role = "wellbeing"
	RoleAdmin     Role = "admin"
)

// AllRoles lists every role, in the order the interface shows them.
var AllRoles = []Role{RoleReviewer, RoleLead, RoleWellbeing, RoleAdmin}

// Roles is a set of roles kept sorted in AllRoles order.
type Roles []Role

// ParseRoles reads a comma-separated list such as "reviewer,lead".
func ParseRoles(s string) (Roles, error) {
	var rs Roles
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(strings.ToLower(part))
		if part == "" {
			continue
		}
		r := Role(part)
		if !slices.Contains(AllRoles, r) {
			return nil, Invalid("roles", fmt.Sprintf("unknown role %q (want one of reviewer, lead, wellbeing, admin)", part))
		}
		rs = append(rs, r)
	}
	if len(rs) == 0 {
		return nil, Invalid("roles", "at least one role is required")
	}
	return NewRoles(rs...), nil
}

// NewRoles returns the set of the given roles, deduplicated and ordered.
func NewRoles(rs ...Role) Roles {
	var out Roles
	for _, r := range AllRoles {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

// Has reports whether r is in the set.
func (rs Roles) Has(r Role) bool { return slices.Contains(rs, r) }

// Any reports whether the set holds at least one of want.
func (rs Roles) Any(want ...Role) bool {
	for _, r := range want {
		if rs.Has(r) {
			return true
		}
	}
	return false
}

func (rs Roles) String() string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r)
	}
	return strings.Join(parts, ",")
}
