package demo

// The demo's English versions, as organisers would add them in the forms: the event, both
// venues, every session's title and some abstracts. A few sessions keep Dutch only, so the
// English site shows both what was translated and the Dutch it falls back to.

// EventThemeEn is the demo event's theme in English.
var EventThemeEn = "We, the government"

// EventDescriptionEn is the demo event's description in English.
var EventDescriptionEn = "At the Dag van de Ambtenaar 2.0 (Civil Servant Day), civil servants from every tier of government meet at two venues at once: the Provinciehuis Overijssel in Zwolle and Rotterdam City Hall. " +
	"All workshops, talks and trainings are given free of charge by fellow civil servants and professionals who work for the government. " +
	"The theme is 'We, the government': how do we join forces within and outside government to make public work smarter, more open and more accessible?"

// VenueEn is a venue's name and texts in English.
type VenueEn struct{ Name, RouteHint, Accessibility string }

// VenuesEn are the demo venues in English, by slug.
var VenuesEn = map[string]VenueEn{
	"zwolle": {
		Name:          "Overijssel Provincial House",
		RouteHint:     "A 5-minute walk from Zwolle station: take the South exit and follow the signs to 'Provinciehuis'. Limited parking in the garage under the building.",
		Accessibility: "Main entrance with automatic doors and a lift to every floor; disabled parking by the entrance. Accessible toilets on the ground and first floors.",
	},
	"rotterdam": {
		Name:          "Rotterdam City Hall",
		RouteHint:     "Metro (line D or E) to Stadhuis, then a 1-minute walk; from Rotterdam Centraal about 10 minutes on foot along the Coolsingel.",
		Accessibility: "Wheelchair-accessible entrance on the Stadhuisplein side with a lift to the rooms; accessible toilet by the Burgerzaal. Assistance dogs are welcome.",
	},
}

// SessionEn is a session's title and, if translated, abstract in English.
type SessionEn struct{ Title, Abstract string }

// SessionsEn are the demo sessions in English, by their Dutch title.
var SessionsEn = map[string]SessionEn{
	"Wij, de overheid: samen werken aan het publieke domein": {
		Title:    "We, the government: working together on the public domain",
		Abstract: "Government is not just the building we work in, but everyone who works for the public cause. This opening lecture explores how civil servants, entrepreneurs and residents can take on social issues together. With examples from municipalities, provinces and central government, and plenty of room for questions from the floor.",
	},
	"Open data in Overijssel: van dataset tot dienst": {
		Title:    "Open data in Overijssel: from dataset to service",
		Abstract: "The Province of Overijssel and the municipality of Zwolle publish more and more data as open data, from traffic counts to subsidy registers. What does that bring, and who actually uses the data? The speakers show how a local developer built a cycle-route app with provincial data, and what they learnt about quality, licences and metadata.",
	},
	"Webcare bij de gemeente: wie antwoordt er op zaterdag?": {Title: "Webcare at the municipality: who answers on a Saturday?"},
	"Pleio voor beginners: je eigen deelsite in twee uur":    {Title: "Pleio for beginners: your own sharing site in two hours"},
	"Open Koffie: inspiratie bij de koffieautomaat":          {Title: "Open Coffee: inspiration at the coffee machine"},
	"Crisiscommunicatie met sociale media: lessen uit de praktijk": {
		Title: "Crisis communication on social media: lessons from practice",
	},
	"Het nieuwe werken: meer dan een laptop en een flexplek":             {Title: "New ways of working: more than a laptop and a hot desk"},
	"Deelstoel: een dag werken bij een andere overheid":                  {Title: "Job swap: a day at another government body"},
	"Schrijven voor het web: B1-taal in de praktijk":                     {Title: "Writing for the web: plain language in practice"},
	"Twitter voor gemeenten: van zendmast naar gesprekspartner":          {Title: "Twitter for municipalities: from broadcaster to conversation partner"},
	"Co-creatie met inwoners: het omgevingsplan samen schrijven":         {Title: "Co-creation with residents: writing the environment plan together"},
	"Wiki's bij de overheid: kennis die blijft als collega's vertrekken": {Title: "Wikis in government: knowledge that stays when colleagues leave"},
	"Digitale toegankelijkheid: bouwen voor iedereen": {
		Title:    "Digital accessibility: building for everyone",
		Abstract: "Government websites must work for everyone, including people with a visual or motor impairment. In this workshop you test a website with a screen reader and the keyboard alone. You learn which web guidelines go wrong most often and how to prevent that in a tender.",
	},
	"Sociale media-training voor woordvoerders en bestuursadviseurs": {Title: "Social media training for spokespeople and policy advisers"},
	"Kennis houden bij krimp: mobiliteit als kans":                   {Title: "Keeping knowledge as we shrink: mobility as an opportunity"},
	"Datagedreven beleid: meten, weten en toch nog kiezen":           {Title: "Data-driven policy: measure, know, and still choose"},
	"Privacy by design bij digitale dienstverlening":                 {Title: "Privacy by design in digital services"},
	"Het sociale intranet: van mededelingenbord naar werkplaats":     {Title: "The social intranet: from notice board to workshop"},
	"Open standaarden: pas toe of leg uit":                           {Title: "Open standards: comply or explain"},
	"Ambtenaar 2.0 in je eigen organisatie: zo begin je morgen":      {Title: "Civil Servant 2.0 in your own organisation: start tomorrow"},
	"Overheid 2.0 in de stad: Rotterdam en zijn digitale inwoners": {
		Title:    "Government 2.0 in the city: Rotterdam and its digital residents",
		Abstract: "Rotterdammers arrange more and more online and expect a government that thinks along. In this opening lecture the speaker sketches how the city renews its services, communication and cooperation with residents. About successes, failures and what a civil servant 2.0 in a big city needs.",
	},
	"Open data als grondstof: apps bouwen met overheidsgegevens": {Title: "Open data as raw material: building apps with government data"},
	"Webcare-training: de eerste 24 uur":                         {Title: "Webcare training: the first 24 hours"},
	"Deelstoel in de praktijk: ervaringen van wisselaars":        {Title: "Job swap in practice: stories from swappers"},
	"Open Koffie Rotterdam: ongedwongen kennisdelen":             {Title: "Open Coffee Rotterdam: informal knowledge sharing"},
	"Burgerinitiatief en overheid: wie volgt wie?":               {Title: "Citizens' initiatives and government: who follows whom?"},
	"Social media monitoring tijdens incidenten":                 {Title: "Social media monitoring during incidents"},
	"Samenwerken over organisatiegrenzen met Pleio-groepen":      {Title: "Working across organisations with Pleio groups"},
	"Hackathon light: in een uur van vraag naar prototype":       {Title: "Hackathon light: from question to prototype in an hour"},
	"Het nieuwe werken bij het Rijk: wat heeft het opgeleverd?":  {Title: "New ways of working in central government: what did it bring?"},
	"Actief openbaar maken: verder dan de Wob":                   {Title: "Proactive disclosure: beyond freedom of information"},
	"Digitale toegankelijkheid testen met echte gebruikers":      {Title: "Testing digital accessibility with real users"},
	"Twitter-spreekuur: vraag het de wethouder online":           {Title: "Twitter surgery: ask the alderman online"},
	"Slotdebat: het programma stopt, leve het netwerk?":          {Title: "Closing debate: the programme ends, long live the network?"},
	"Datagedreven werken in de wijk":                             {Title: "Data-driven work in the neighbourhood"},
	"Video voor de overheid: zelf filmen met je telefoon":        {Title: "Video for government: filming with your own phone"},
}
