package schedule

import (
	"reflect"
	"testing"
	"time"
)

// issuesProblem is a small event without problems: Zwolle has rooms A (10 seats) and B (5)
// and slots 9–10, 10–11 and, after lunch, 12–13; Rotterdam has room C (20) and slots 9–10,
// 10:15–11:15 and 12–13. Travel between the cities takes 90 minutes. Alpha (speaker 0) is in
// Zwolle A at 9, Beta (speaker 1) in Rotterdam C at 9, and the two-slot Gamma (speaker 2)
// in Zwolle B from 9 to 11.
func issuesProblem() (Problem, Plan) {
	at := func(h, m int) time.Time { return time.Date(2027, 2, 3, h, m, 0, 0, time.UTC) }
	pr := Problem{
		Venues: []Venue{
			{Name: "Zwolle", City: "Zwolle", Rooms: []Room{{"A", 10}, {"B", 5}},
				Slots: []Slot{{at(9, 0), at(10, 0)}, {at(10, 0), at(11, 0)}, {at(12, 0), at(13, 0)}}},
			{Name: "Rotterdam", City: "Rotterdam", Rooms: []Room{{"C", 20}},
				Slots: []Slot{{at(9, 0), at(10, 0)}, {at(10, 15), at(11, 15)}, {at(12, 0), at(13, 0)}}},
		},
		Sessions: []Session{
			{Title: "Alpha", Length: 1, Speakers: []int{0}},
			{Title: "Beta", Length: 1, Speakers: []int{1}},
			{Title: "Gamma", Length: 2, Speakers: []int{2}},
		},
		Speakers: []Speaker{{Name: "Ann", Unavailable: map[SlotRef]bool{}}, {Name: "Bob", Unavailable: map[SlotRef]bool{}},
			{Name: "Cas", Unavailable: map[SlotRef]bool{}}},
		Travel: func(from, to string) time.Duration {
			if from == to {
				return 0
			}
			return 90 * time.Minute
		},
	}
	plan := Plan{Places: []*Place{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}}}
	return pr, plan
}

func TestIssues(t *testing.T) {
	wishers := func(pr *Problem, session, n int) {
		for range n {
			pr.Wishes = append(pr.Wishes, []int{session})
		}
	}
	cases := []struct {
		name   string
		change func(pr *Problem, plan *Plan)
		want   []Issue
	}{
		{"none", func(*Problem, *Plan) {}, nil},
		{"speaker in two rooms at once", func(pr *Problem, _ *Plan) { pr.Sessions[0].Speakers = []int{0, 2} },
			[]Issue{{Kind: IssueSpeakerDoubleBooked, Sessions: []int{0, 2}, Venue: 0, Room: 0, Slot: 0, Speaker: 2}}},
		{"speaker without time to travel", func(pr *Problem, plan *Plan) {
			pr.Sessions[1].Speakers = []int{0}
			plan.Places[1] = &Place{1, 0, 1}
		}, []Issue{{Kind: IssueSpeakerDoubleBooked, Sessions: []int{0, 1}, Venue: 0, Room: 0, Slot: 0, Speaker: 0, Need: 90, Have: 15}}},
		{"speaker with time to travel", func(pr *Problem, plan *Plan) {
			pr.Sessions[1].Speakers = []int{0}
			plan.Places[1] = &Place{1, 0, 2}
		}, nil},
		{"speaker unavailable in the second slot", func(pr *Problem, _ *Plan) { pr.Speakers[2].Unavailable[SlotRef{0, 1}] = true },
			[]Issue{{Kind: IssueSpeakerUnavailable, Sessions: []int{2}, Venue: 0, Room: 1, Slot: 1, Speaker: 2}}},
		{"speaker unavailable elsewhere only", func(pr *Problem, _ *Plan) { pr.Speakers[2].Unavailable[SlotRef{1, 1}] = true }, nil},
		{"venue not wished", func(pr *Problem, _ *Plan) { pr.Sessions[1].Venues = []int{0} },
			[]Issue{{Kind: IssueVenueNotWished, Sessions: []int{1}, Venue: 1, Room: 0, Slot: 0, Speaker: -1}}},
		{"venue wished", func(pr *Problem, _ *Plan) { pr.Sessions[1].Venues = []int{0, 1} }, nil},
		{"two slots around lunch", func(_ *Problem, plan *Plan) { plan.Places[2] = &Place{0, 1, 1} },
			[]Issue{{Kind: IssueTwoSlotSplit, Sessions: []int{2}, Venue: 0, Room: 1, Slot: 1, Speaker: -1, Need: 15, Have: 60}}},
		{"two slots past the last", func(_ *Problem, plan *Plan) { plan.Places[2] = &Place{0, 1, 2} },
			[]Issue{{Kind: IssueTwoSlotSplit, Sessions: []int{2}, Venue: 0, Room: 1, Slot: 2, Speaker: -1, Need: 15, Have: -1}}},
		{"two slots through a changeover", func(pr *Problem, plan *Plan) {
			plan.Places[1] = nil
			pr.Sessions[2].Speakers = nil
			plan.Places[2] = &Place{1, 0, 0}
		}, nil},
		{"capacity above the room", func(pr *Problem, _ *Plan) { pr.Sessions[0].MinSeats = 12 },
			[]Issue{{Kind: IssueCapacityAboveRoom, Sessions: []int{0}, Venue: 0, Room: 0, Slot: 0, Speaker: -1, Need: 12, Have: 10}}},
		{"demand above the room", func(pr *Problem, _ *Plan) { wishers(pr, 2, 6) },
			[]Issue{{Kind: IssueDemandAboveRoom, Sessions: []int{2}, Venue: 0, Room: 1, Slot: 0, Speaker: -1, Need: 6, Have: 5}}},
		{"demand fits the room", func(pr *Problem, _ *Plan) { wishers(pr, 2, 5); wishers(pr, 0, 10) }, nil},
		{"venue short of seats", func(pr *Problem, _ *Plan) { wishers(pr, 0, 10); wishers(pr, 2, 8) }, []Issue{
			{Kind: IssueDemandAboveRoom, Sessions: []int{2}, Venue: 0, Room: 1, Slot: 0, Speaker: -1, Need: 8, Have: 5},
			{Kind: IssueVenueSeatsShort, Sessions: []int{0, 2}, Venue: 0, Room: -1, Slot: 0, Speaker: -1, Need: 18, Have: 15},
		}},
		{"several, in kind order", func(pr *Problem, plan *Plan) {
			pr.Sessions[0].MinSeats = 11
			pr.Sessions[1].Venues = []int{0}
			pr.Sessions[0].Speakers = []int{0, 2}
		}, []Issue{
			{Kind: IssueSpeakerDoubleBooked, Sessions: []int{0, 2}, Venue: 0, Room: 0, Slot: 0, Speaker: 2},
			{Kind: IssueVenueNotWished, Sessions: []int{1}, Venue: 1, Room: 0, Slot: 0, Speaker: -1},
			{Kind: IssueCapacityAboveRoom, Sessions: []int{0}, Venue: 0, Room: 0, Slot: 0, Speaker: -1, Need: 11, Have: 10},
		}},
		{"unplaced sessions have none", func(pr *Problem, plan *Plan) {
			pr.Sessions[0].MinSeats = 15
			pr.Sessions[1].Venues = []int{0}
			plan.Places[0], plan.Places[1] = nil, nil
		}, nil},
		{"unplaced sessions no place allows", func(pr *Problem, plan *Plan) {
			pr.Sessions[0].MinSeats = 50
			pr.Sessions[2].Venues = []int{0}
			pr.Speakers[2].Unavailable[SlotRef{0, 1}] = true
			plan.Places[0], plan.Places[2] = nil, nil
		}, []Issue{
			{Kind: IssueUnplaceable, Sessions: []int{0}, Venue: -1, Room: -1, Slot: -1, Speaker: -1, Rule: "room_too_small"},
			{Kind: IssueUnplaceable, Sessions: []int{2}, Venue: -1, Room: -1, Slot: -1, Speaker: -1, Rule: "no_consecutive"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pr, plan := issuesProblem()
			tc.change(&pr, &plan)
			got := pr.Issues(plan)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Issues() = %+v\nwant %+v", got, tc.want)
			}
			if again := pr.Issues(plan); !reflect.DeepEqual(got, again) {
				t.Errorf("Issues() is not deterministic: %v, then %v", got, again)
			}
		})
	}
}
