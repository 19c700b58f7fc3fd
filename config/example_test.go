package config_test

import (
	"fmt"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
)

type review struct {
	Name     string                  `json:"name"`
	Owner    revalign.Owner          `json:"owner"`
	Calendar revalign.FiscalCalendar `json:"calendar"`
}

// Unmarshal reads YAML or JSON strictly: a typo is an error with its line
// and column, not a silently ignored field.
func ExampleUnmarshal() {
	var r review
	err := config.Unmarshal([]byte("name: Monday pipeline review\nowner: {name: Sam Whitfield, team: revops}\ncalendar: {start_month: 2, week_start: monday, time_zone: America/New_York}\n"), &r)
	fmt.Println(r.Owner, r.Calendar.StartMonth, err)

	err = config.Unmarshal([]byte("name: Monday pipeline review\nowenr: {name: Sam Whitfield, team: revops}\n"), &r)
	fmt.Println(err)
	// Output:
	// Sam Whitfield (revops) February <nil>
	// 2:1: unknown field "owenr"
}
