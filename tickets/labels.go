package tickets

// Labels holds every fixed text on tickets, badges and door lists, so callers can
// print them in the attendee's or organiser's language. Fields ending in a format
// verb are fmt formats.
type Labels struct {
	Lang           string // the documents' language, a BCP 47 tag ("nl", "en")
	Ticket         string // document title, e.g. "Ticket"
	Attendee       string // heading above the name and organisation
	Venue          string // heading above venue, address and route hint
	Programme      string // heading above the personal programme
	Time           string // programme column
	Session        string // programme column
	Room           string // programme column
	NoSessions     string // shown when the programme is empty
	Waitlisted     string // "%d" is the position on the waiting list
	WaitlistedOnly string // waiting list without a known position
	Code           string // heading above the ticket code
	ScanHint       string // how the QR code and the code are used at the door
	Badges         string // title of a badge sheet
	DoorList       string // title of a door list
	Name           string // door list column
	Organisation   string // door list column
	Present        string // door list column with the tick boxes
	Attendees      string // "%d" is the number of attendees on a door list
	PageOf         string // "%d", "%d" are the page number and the number of pages
	// The documents' subjects: what each is for, in its metadata.
	TicketSubject, BadgesSubject, DoorListSubject string
}

// DutchLabels returns the Dutch texts.
func DutchLabels() Labels {
	return Labels{
		Lang:            "nl",
		Ticket:          "Toegangsbewijs",
		Attendee:        "Deelnemer",
		Venue:           "Locatie",
		Programme:       "Jouw programma",
		Time:            "Tijd",
		Session:         "Sessie",
		Room:            "Zaal",
		NoSessions:      "Je hebt nog geen sessies gekozen.",
		Waitlisted:      "wachtlijst, plaats %d",
		WaitlistedOnly:  "wachtlijst",
		Code:            "Ticketcode",
		ScanHint:        "Laat de QR-code scannen bij de ingang, op papier of op je telefoon. Lukt scannen niet, noem dan de ticketcode.",
		Badges:          "Naambadges",
		DoorList:        "Deurlijst",
		Name:            "Naam",
		Organisation:    "Organisatie",
		Present:         "Binnen",
		Attendees:       "%d deelnemers",
		PageOf:          "pagina %d van %d",
		TicketSubject:   "Toegangsbewijs met QR-code, locatie en je persoonlijke programma",
		BadgesSubject:   "Naambadges om te printen en te knippen, acht per A4",
		DoorListSubject: "Deelnemers van een locatie met hun ticketcode, om af te vinken bij de ingang",
	}
}

// EnglishLabels returns the English texts.
func EnglishLabels() Labels {
	return Labels{
		Lang:            "en",
		Ticket:          "Ticket",
		Attendee:        "Attendee",
		Venue:           "Venue",
		Programme:       "Your programme",
		Time:            "Time",
		Session:         "Session",
		Room:            "Room",
		NoSessions:      "You have not chosen any sessions yet.",
		Waitlisted:      "waiting list, position %d",
		WaitlistedOnly:  "waiting list",
		Code:            "Ticket code",
		ScanHint:        "Have the QR code scanned at the entrance, on paper or on your phone. If scanning fails, give the ticket code.",
		Badges:          "Name badges",
		DoorList:        "Door list",
		Name:            "Name",
		Organisation:    "Organisation",
		Present:         "In",
		Attendees:       "%d attendees",
		PageOf:          "page %d of %d",
		TicketSubject:   "Ticket with QR code, venue and your personal programme",
		BadgesSubject:   "Name badges to print and cut, eight per A4 page",
		DoorListSubject: "Attendees of one venue with their ticket codes, to tick off at the entrance",
	}
}
