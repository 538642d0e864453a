package models

import "time"

// Allocation records that a venue's seats were allocated by preference (issue #19): once per
// venue (the unique index refuses a second), with the published seed and the tally the
// report shows. Report holds an AllocationReport as JSON.
type Allocation struct {
	ID      uint
	EventID uint   `gorm:"not null;index"`
	VenueID uint   `gorm:"not null;uniqueIndex"`
	Venue   Venue  `gorm:"constraint:OnDelete:CASCADE"`
	Seed    string `gorm:"size:200;not null"`
	RanAt   time.Time
	People  int    `gorm:"not null"`
	First   int    `gorm:"not null"`
	Second  int    `gorm:"not null"`
	Third   int    `gorm:"not null"`
	None    int    `gorm:"not null"`
	Cost    int64  `gorm:"not null"`
	Report  string `gorm:"type:text;not null"`
}

// AllocationReport is what the organisers' report and the public summary show of an allocation.
type AllocationReport struct {
	// Ranks counts the rankings met at each rank: Ranks[0] first choices, Ranks[1] second…
	Ranks    []int                     `json:"ranks"`
	Sessions []AllocationSessionReport `json:"sessions"`
	// Optimal: the search proved that no allocation costs less (allocation.Tally.Optimal);
	// otherwise it is the best found within the search's budget.
	Optimal bool `json:"optimal"`
	// Bound is the least total cost any allocation could have (Cost when Optimal).
	Bound int64 `json:"bound"`
	// Random is what first come, first served in random order would have given: the average
	// over Random.Orders orders drawn from the seed.
	Random AllocationBaseline `json:"random"`
}

// AllocationSessionReport is one session's demand and seats.
type AllocationSessionReport struct {
	SessionID uint   `json:"session_id"`
	Title     string `json:"title"`
	Seats     int    `json:"seats"`
	// FirstChoice counts people who ranked it first; Demand everyone who ranked it at all.
	FirstChoice int `json:"first_choice"`
	Demand      int `json:"demand"`
	Seated      int `json:"seated"`
	Waitlisted  int `json:"waitlisted"`
}

// AllocationBaseline is an average tally over random first-come-first-served orders.
type AllocationBaseline struct {
	Orders int     `json:"orders"`
	First  float64 `json:"first"`
	Second float64 `json:"second"`
	Third  float64 `json:"third"`
	None   float64 `json:"none"`
	Cost   float64 `json:"cost"`
}
