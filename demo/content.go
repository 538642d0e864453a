// Package demo holds the demo event that `dagplanner --demo` loads into an empty database.
package demo

// VenueSpec describes one conference location with its rooms and time slots.
type VenueSpec struct {
	Slug, Name, City, Address, RouteHint, Accessibility string
	Capacity                                            int // the building's limit for the day
	Rooms                                               []RoomSpec
	Slots                                               []SlotSpec // local times in Europe/Amsterdam, "HH:MM"
}

// RoomSpec describes a room at a venue.
type RoomSpec struct {
	Name          string
	Capacity      int    // 25..200
	Accessibility string // e.g. "Rolstoeltoegankelijk, ringleiding aanwezig"
}

// SlotSpec is a time slot at a venue, in local time ("HH:MM").
type SlotSpec struct{ Start, End string } // "10:00", "11:00"

// SpeakerSpec describes a (fictional) speaker.
type SpeakerSpec struct{ Name, Organisation, Bio string }

// SessionSpec describes one programme item.
type SessionSpec struct {
	Venue    string // venue slug
	Room     string // room name at that venue
	Slot     int    // 0-based index of the first slot at that venue
	Slots    int    // 1 or 2 (a two-slot session fills consecutive slots)
	Title    string
	Format   string // one of: workshop, presentation, lecture, training, discussion, other
	Abstract string // 2-4 realistic Dutch sentences
	Capacity int    // 0 = the room's capacity; else a lower limit (e.g. 12-20 for small workshops)
	Track    string // e.g. "Open overheid", "Communicatie", "Samenwerken", "Digitaal vakmanschap"
	Speakers []SpeakerSpec
}

// EventName is the name of the demo event.
var EventName = "Dag van de Ambtenaar 2.0"

// EventTheme is the theme of the demo event.
var EventTheme = "Wij, de overheid"

// EventDescription is a short Dutch description of the demo event.
var EventDescription = "Op de Dag van de Ambtenaar 2.0 ontmoeten ambtenaren uit alle bestuurslagen elkaar op twee locaties tegelijk: in het Provinciehuis Overijssel in Zwolle en in het stadhuis van Rotterdam. " +
	"Alle workshops, lezingen en trainingen worden belangeloos gegeven door collega-ambtenaren en professionals die voor de overheid werken. " +
	"Het thema 'Wij, de overheid' staat centraal: hoe slaan we binnen en buiten de overheid de handen ineen om het werk in het publieke domein slimmer, opener en toegankelijker te maken?"

// Venues are the two locations of the demo event.
var Venues = []VenueSpec{
	{
		Slug:          "zwolle",
		Name:          "Provinciehuis Overijssel",
		City:          "Zwolle",
		Address:       "Luttenbergstraat 2, 8012 EE Zwolle",
		RouteHint:     "Op 5 minuten lopen van station Zwolle: neem de uitgang Zuid en volg de borden 'Provinciehuis'. Beperkt parkeren in de parkeergarage onder het gebouw.",
		Accessibility: "Hoofdingang met automatische deuren en lift naar alle verdiepingen; invalidenparkeerplaatsen bij de ingang. Aangepast toilet op de begane grond en de eerste verdieping.",
		Capacity:      400,
		Rooms: []RoomSpec{
			{Name: "Statenzaal", Capacity: 200, Accessibility: "Rolstoeltoegankelijk, ringleiding aanwezig, rolstoelplaatsen vooraan"},
			{Name: "Hofzaal", Capacity: 120, Accessibility: "Rolstoeltoegankelijk, ringleiding aanwezig"},
			{Name: "Burgerzaal", Capacity: 80, Accessibility: "Rolstoeltoegankelijk via de lift"},
			{Name: "Twentezaal", Capacity: 60, Accessibility: "Rolstoeltoegankelijk, verstelbare tafels"},
			{Name: "IJsselkamer", Capacity: 40, Accessibility: "Rolstoeltoegankelijk, laptops beschikbaar"},
			{Name: "Vechtkamer", Capacity: 30, Accessibility: "Rolstoeltoegankelijk via de lift"},
			{Name: "Sallandkamer", Capacity: 25, Accessibility: "Rolstoeltoegankelijk, drempelvrije ingang"},
		},
		Slots: []SlotSpec{
			{Start: "10:00", End: "11:00"},
			{Start: "11:15", End: "12:15"},
			{Start: "13:15", End: "14:15"},
			{Start: "14:30", End: "15:30"},
		},
	},
	{
		Slug:          "rotterdam",
		Name:          "Stadhuis Rotterdam",
		City:          "Rotterdam",
		Address:       "Coolsingel 40, 3011 AD Rotterdam",
		RouteHint:     "Metro (lijn D of E) tot halte Stadhuis, daarna 1 minuut lopen; vanaf Rotterdam Centraal ongeveer 10 minuten te voet over de Coolsingel.",
		Accessibility: "Rolstoeltoegankelijke ingang aan de Stadhuisplein-zijde met lift naar de zalen; aangepast toilet bij de Burgerzaal. Assistentiehonden zijn welkom.",
		Capacity:      350,
		Rooms: []RoomSpec{
			{Name: "Burgerzaal", Capacity: 200, Accessibility: "Rolstoeltoegankelijk, ringleiding aanwezig"},
			{Name: "Raadzaal", Capacity: 120, Accessibility: "Rolstoeltoegankelijk via de lift, ringleiding aanwezig"},
			{Name: "Schiedamzaal", Capacity: 70, Accessibility: "Rolstoeltoegankelijk via de lift"},
			{Name: "Collegekamer", Capacity: 45, Accessibility: "Rolstoeltoegankelijk, verstelbare tafels"},
			{Name: "Erasmuskamer", Capacity: 35, Accessibility: "Rolstoeltoegankelijk, laptops beschikbaar"},
			{Name: "Maaskamer", Capacity: 25, Accessibility: "Bereikbaar via de lift; smalle deur (80 cm)"},
		},
		Slots: []SlotSpec{
			{Start: "10:15", End: "11:15"},
			{Start: "11:30", End: "12:30"},
			{Start: "13:30", End: "14:30"},
			{Start: "14:45", End: "15:45"},
		},
	},
}

// VenueOnlySession is kept at its venue without a room or a time yet, as the session form
// allows and "off the timetable" on the board leaves a session, so every page meets one.
var VenueOnlySession = SessionSpec{
	Venue: "zwolle", Slots: 1,
	Title:    "Netwerkspel: wie kent wie in Overijssel?",
	Format:   "other",
	Abstract: "Een spel waarin je in een uur ontdekt welke collega's bij andere overheden aan hetzelfde werken als jij. De organisatie zoekt nog een zaal en een tijd.",
	Capacity: 30,
	Track:    "Samenwerken",
	Speakers: []SpeakerSpec{
		{Name: "Jeroen Nijhuis", Organisation: "Gemeente Deventer", Bio: "Jeroen is beleidsadviseur bij de gemeente Deventer en organiseert sinds 2011 maandelijks Open Koffie in Oost-Nederland."},
	},
}

// Sessions is the programme of the demo event.
var Sessions = []SessionSpec{
	// ---------------------------------------------------------------- Zwolle, slot 1 (10:00)
	{
		Venue: "zwolle", Room: "Statenzaal", Slot: 0, Slots: 1,
		Title:    "Wij, de overheid: samen werken aan het publieke domein",
		Format:   "lecture",
		Abstract: "De overheid is niet alleen het gebouw waar we werken, maar alle mensen die zich inzetten voor de publieke zaak. In deze openingslezing verkennen we hoe ambtenaren, ondernemers en inwoners samen maatschappelijke vraagstukken kunnen oppakken. Met voorbeelden uit gemeenten, provincies en het Rijk en veel ruimte voor vragen uit de zaal.",
		Track:    "Open overheid",
		Speakers: []SpeakerSpec{
			{Name: "Hendrik-Jan Wolters", Organisation: "Ministerie van BZK", Bio: "Hendrik-Jan is programmamanager overheidsvernieuwing bij het ministerie van BZK en schrijft al jaren over netwerkend werken in de publieke sector."},
		},
	},
	{
		Venue: "zwolle", Room: "Hofzaal", Slot: 0, Slots: 1,
		Title:    "Open data in Overijssel: van dataset tot dienst",
		Format:   "presentation",
		Abstract: "Provincie Overijssel en de gemeente Zwolle publiceren steeds meer gegevens als open data, van verkeerstellingen tot subsidieregisters. Wat levert dat op, en wie gebruikt die gegevens eigenlijk? De sprekers laten zien hoe een ontwikkelaar uit de regio met provinciale data een fietsroute-app bouwde en welke lessen zij leerden over kwaliteit, licenties en metadata.",
		Track:    "Open overheid",
		Speakers: []SpeakerSpec{
			{Name: "Anouk Brinkman", Organisation: "Provincie Overijssel", Bio: "Anouk is informatieadviseur bij de provincie en trekker van het open-dataprogramma."},
			{Name: "Ömer Yıldız", Organisation: "Gemeente Zwolle", Bio: "Ömer is datacoördinator bij de gemeente Zwolle en organiseert jaarlijks een regionale open-datahackathon."},
		},
	},
	{
		Venue: "zwolle", Room: "Twentezaal", Slot: 0, Slots: 1,
		Title:    "Webcare bij de gemeente: wie antwoordt er op zaterdag?",
		Format:   "workshop",
		Abstract: "Inwoners stellen hun vragen steeds vaker via Facebook en Twitter, ook buiten kantoortijden. In deze workshop ontwerp je in kleine groepjes een webcareproces voor je eigen organisatie: wie monitort, wie antwoordt en wanneer schakel je de vakafdeling in? Je gaat naar huis met een bruikbaar stappenplan en voorbeeldantwoorden.",
		Track:    "Communicatie",
		Speakers: []SpeakerSpec{
			{Name: "Zoë van Dalen", Organisation: "Gemeente Enschede", Bio: "Zoë is teamleider online communicatie en zette bij de gemeente Enschede een webcareteam van zes collega's op."},
		},
	},
	{
		Venue: "zwolle", Room: "IJsselkamer", Slot: 0, Slots: 2,
		Title:    "Pleio voor beginners: je eigen deelsite in twee uur",
		Format:   "training",
		Abstract: "Pleio is het samenwerkingsplatform waarmee iedere ambtenaar plaats- en tijdonafhankelijk met anderen kan werken. In deze hands-on training richt je een eigen deelsite in, nodig je collega's van andere organisaties uit en zet je een eerste groep met documenten en een discussie op. Neem je eigen laptop mee; er zijn ook leenlaptops beschikbaar.",
		Capacity: 20,
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Marloes ten Hove", Organisation: "Pleio, Ministerie van BZK", Bio: "Marloes is community manager van Pleio en begeleidt overheidsorganisaties bij het opzetten van hun eerste deelsite."},
		},
	},
	{
		Venue: "zwolle", Room: "Vechtkamer", Slot: 0, Slots: 1,
		Title:    "Open Koffie: inspiratie bij de koffieautomaat",
		Format:   "other",
		Abstract: "Open Koffie is een informele inspiratie- en informatiesessie waar iedereen kan aanschuiven. Geen sheets, wel goede koffie en een korte pitch van drie collega's over een project waar ze trots op zijn. Daarna praat je in wisselende tafels verder.",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Jeroen Nijhuis", Organisation: "Gemeente Deventer", Bio: "Jeroen is beleidsadviseur bij de gemeente Deventer en organiseert sinds 2011 maandelijks Open Koffie in Oost-Nederland."},
		},
	},

	// ---------------------------------------------------------------- Zwolle, slot 2 (11:15)
	{
		Venue: "zwolle", Room: "Statenzaal", Slot: 1, Slots: 1,
		Title:    "Crisiscommunicatie met sociale media: lessen uit de praktijk",
		Format:   "presentation",
		Abstract: "Bij een grote brand of een dijkdoorbraak verspreidt nieuws zich via Twitter sneller dan via de persvoorlichter. Hoe houd je als overheid regie op de informatie zonder het gesprek te smoren? De sprekers delen ervaringen uit recente incidenten in de regio en verkennen hoe ambtenaren 2.0 met sociale-media-expertise kunnen bijspringen bij een crisis.",
		Track:    "Communicatie",
		Speakers: []SpeakerSpec{
			{Name: "Sander Kuipers", Organisation: "Veiligheidsregio IJsselland", Bio: "Sander is adviseur crisiscommunicatie en coördineert het team online monitoring van de veiligheidsregio."},
			{Name: "Fatima El Amrani", Organisation: "Gemeente Zwolle", Bio: "Fatima is woordvoerder van de gemeente Zwolle en was betrokken bij de communicatie tijdens het hoogwater van vorig jaar."},
		},
	},
	{
		Venue: "zwolle", Room: "Hofzaal", Slot: 1, Slots: 1,
		Title:    "Het nieuwe werken: meer dan een laptop en een flexplek",
		Format:   "presentation",
		Abstract: "Veel organisaties hebben de bureaus vervangen door flexplekken, maar werken de mensen ook echt anders? In deze presentatie laat de Belastingdienst zien wat 'het nieuwe werken' na drie jaar heeft opgeleverd, en waar het schuurt. Over vertrouwen, sturen op resultaat en de rol van de leidinggevende.",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Gerda Mulder", Organisation: "Belastingdienst", Bio: "Gerda is organisatieadviseur en begeleidde de invoering van tijd- en plaatsonafhankelijk werken bij verschillende kantoren van de Belastingdienst."},
		},
	},
	{
		Venue: "zwolle", Room: "Burgerzaal", Slot: 1, Slots: 1,
		Title:    "Deelstoel: een dag werken bij een andere overheid",
		Format:   "discussion",
		Abstract: "Via Deelstoel werk je een dag of langer bij een andere ambtelijke organisatie en neem je nieuwe ideeën mee terug. Twee deelnemers vertellen over hun ervaringen bij het waterschap en een kleine gemeente. Daarna bespreken we met de zaal hoe je mobiliteit bij de overheid kunt benutten om kennis te delen in plaats van te verliezen.",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Bart Schuurman", Organisation: "Waterschap Drents Overijsselse Delta", Bio: "Bart is beleidsmedewerker waterkwaliteit en werkte via Deelstoel drie maanden bij een gemeente."},
			{Name: "Ingrid Kamphuis", Organisation: "Gemeente Kampen", Bio: "Ingrid is HR-adviseur en ontving als gastorganisatie al vijf 'deelstoelers'."},
		},
	},
	{
		Venue: "zwolle", Room: "Sallandkamer", Slot: 1, Slots: 1,
		Title:    "Schrijven voor het web: B1-taal in de praktijk",
		Format:   "workshop",
		Abstract: "Een groot deel van de Nederlanders begrijpt ambtelijke teksten maar half. In deze workshop herschrijf je een eigen brief of webtekst naar helder Nederlands op taalniveau B1. Je krijgt praktische vuistregels en oefent in tweetallen.",
		Capacity: 16,
		Track:    "Digitaal vakmanschap",
		Speakers: []SpeakerSpec{
			{Name: "Lotte Vreeswijk", Organisation: "Gemeente Hardenberg", Bio: "Lotte is webredacteur en traint collega's in helder schrijven."},
		},
	},

	// ---------------------------------------------------------------- Zwolle, slot 3 (13:15)
	{
		Venue: "zwolle", Room: "Statenzaal", Slot: 2, Slots: 1,
		Title:    "Twitter voor gemeenten: van zendmast naar gesprekspartner",
		Format:   "presentation",
		Abstract: "Veel gemeenten twitteren vooral persberichten de wereld in. Hoe maak je van je account een plek waar inwoners echt met je in gesprek gaan? Aan de hand van cijfers en voorbeelden uit de eigen gemeente laat de spreker zien wat werkt en wat je beter kunt laten.",
		Track:    "Communicatie",
		Speakers: []SpeakerSpec{
			{Name: "Wouter Hilbrink", Organisation: "Gemeente Hengelo", Bio: "Wouter is online adviseur en beheert het Twitter-account van de gemeente Hengelo."},
		},
	},
	{
		Venue: "zwolle", Room: "Hofzaal", Slot: 2, Slots: 1,
		Title:    "Co-creatie met inwoners: het omgevingsplan samen schrijven",
		Format:   "workshop",
		Abstract: "Hoe betrek je inwoners niet pas aan het einde, maar al bij het begin van een plan? De provincie en de gemeente Almelo experimenteerden met online meeschrijven en wijkateliers. In deze workshop ervaar je zelf hoe zo'n co-creatiesessie werkt en bespreek je de valkuilen.",
		Track:    "Open overheid",
		Speakers: []SpeakerSpec{
			{Name: "Marieke Dijkstra", Organisation: "Provincie Overijssel", Bio: "Marieke is procesbegeleider participatie bij de provincie Overijssel."},
			{Name: "Kerem Çelik", Organisation: "Gemeente Almelo", Bio: "Kerem is wijkregisseur en organiseerde de eerste online wijkagenda van Almelo."},
		},
	},
	{
		Venue: "zwolle", Room: "Burgerzaal", Slot: 2, Slots: 1,
		Title:    "Wiki's bij de overheid: kennis die blijft als collega's vertrekken",
		Format:   "presentation",
		Abstract: "Bij reorganisaties en vertrekregelingen verdwijnt veel kennis de deur uit. Rijkswaterstaat gebruikt een interne wiki om die kennis vast te houden en te delen. De spreker vertelt hoe je collega's verleidt om mee te schrijven en hoe je voorkomt dat een wiki verwatert.",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Pieter Boerema", Organisation: "Rijkswaterstaat", Bio: "Pieter is kennismanager bij Rijkswaterstaat en beheert de interne wiki met ruim 4.000 pagina's."},
		},
	},
	{
		Venue: "zwolle", Room: "Twentezaal", Slot: 2, Slots: 1,
		Title:    "Digitale toegankelijkheid: bouwen voor iedereen",
		Format:   "workshop",
		Abstract: "Overheidswebsites moeten voor iedereen bruikbaar zijn, ook voor mensen met een visuele of motorische beperking. In deze workshop test je een website met een schermlezer en alleen het toetsenbord. Je leert welke webrichtlijnen het vaakst misgaan en hoe je dat in een aanbesteding voorkomt.",
		Track:    "Digitaal vakmanschap",
		Speakers: []SpeakerSpec{
			{Name: "Esther Lankhorst", Organisation: "Logius", Bio: "Esther is adviseur webrichtlijnen bij Logius en toetst jaarlijks tientallen overheidswebsites."},
		},
	},
	{
		Venue: "zwolle", Room: "Vechtkamer", Slot: 2, Slots: 2,
		Title:    "Sociale media-training voor woordvoerders en bestuursadviseurs",
		Format:   "training",
		Abstract: "Wat doe je als je wethouder of gedeputeerde op Twitter onder vuur ligt? In deze training oefen je met realistische casussen in een gesimuleerde tijdlijn. Je leert snel de toon te bepalen, feiten te checken en de juiste collega's in te schakelen.",
		Capacity: 15,
		Track:    "Communicatie",
		Speakers: []SpeakerSpec{
			{Name: "Renske Oosterhof", Organisation: "Provincie Overijssel", Bio: "Renske is senior communicatieadviseur en traint bestuurders en woordvoerders in het gebruik van sociale media."},
		},
	},
	{
		Venue: "zwolle", Room: "Sallandkamer", Slot: 2, Slots: 1,
		Title:    "Kennis houden bij krimp: mobiliteit als kans",
		Format:   "discussion",
		Abstract: "Door bezuinigingen betekent mobiliteit bij de overheid vaak het bevorderen van vertrek. Jammer, want daarmee loopt kennis weg. In dit rondetafelgesprek verkennen we oplossingen zoals talentenpools, detacheringen tussen bestuurslagen en flexibele inzet via een netwerk.",
		Capacity: 20,
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Henk Wessels", Organisation: "Provincie Overijssel", Bio: "Henk is adviseur mobiliteit en loopbaan bij de provincie en coördineert de regionale talentenpool."},
		},
	},

	// ---------------------------------------------------------------- Zwolle, slot 4 (14:30)
	{
		Venue: "zwolle", Room: "Statenzaal", Slot: 3, Slots: 1,
		Title:    "Datagedreven beleid: meten, weten en toch nog kiezen",
		Format:   "lecture",
		Abstract: "Met steeds meer gegevens lijkt beleid maken een kwestie van rekenen. Maar data geven geen antwoord op de vraag wat we belangrijk vinden. In deze lezing bespreken de sprekers hoe je cijfers goed gebruikt zonder de politieke afweging uit handen te geven, met voorbeelden uit het sociaal domein.",
		Track:    "Open overheid",
		Speakers: []SpeakerSpec{
			{Name: "Annemiek Schippers", Organisation: "Centraal Bureau voor de Statistiek", Bio: "Annemiek is onderzoeker bij het CBS en adviseert gemeenten over het gebruik van regionale statistieken."},
			{Name: "Niels Jansen", Organisation: "Gemeente Zwolle", Bio: "Niels is beleidsonderzoeker bij de gemeente Zwolle en bouwde het wijkdashboard van de stad."},
		},
	},
	{
		Venue: "zwolle", Room: "Hofzaal", Slot: 3, Slots: 1,
		Title:    "Privacy by design bij digitale dienstverlening",
		Format:   "presentation",
		Abstract: "Privacy achteraf repareren is duur en vaak onmogelijk. De spreker laat zien hoe de gemeente Apeldoorn privacy vanaf de eerste schets meeneemt in het ontwerp van e-diensten. Met een praktische checklist die je morgen kunt gebruiken.",
		Track:    "Digitaal vakmanschap",
		Speakers: []SpeakerSpec{
			{Name: "Tamara Groeneveld", Organisation: "Gemeente Apeldoorn", Bio: "Tamara is privacyadviseur en jurist informatierecht bij de gemeente Apeldoorn."},
		},
	},
	{
		Venue: "zwolle", Room: "Burgerzaal", Slot: 3, Slots: 1,
		Title:    "Het sociale intranet: van mededelingenbord naar werkplaats",
		Format:   "presentation",
		Abstract: "Een intranet waar alleen de afdeling communicatie iets op zet, wordt al snel niet meer gelezen. Het waterschap verving het oude intranet door een sociaal platform waar medewerkers zelf groepen en blogs beginnen. Hoe kreeg men management en medewerkers mee, en wat zijn de resultaten na een jaar?",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Johan Westerink", Organisation: "Waterschap Vechtstromen", Bio: "Johan is projectleider interne communicatie en was verantwoordelijk voor de invoering van het sociale intranet."},
		},
	},
	{
		Venue: "zwolle", Room: "IJsselkamer", Slot: 3, Slots: 1,
		Title:    "Open standaarden: pas toe of leg uit",
		Format:   "discussion",
		Abstract: "Overheden moeten open standaarden gebruiken, tenzij ze goed kunnen uitleggen waarom niet. In de praktijk blijkt dat lastiger dan het klinkt. In deze discussiesessie delen deelnemers hun ervaringen met aanbestedingen, leveranciers en de lijst van verplichte standaarden.",
		Track:    "Digitaal vakmanschap",
		Speakers: []SpeakerSpec{
			{Name: "Maarten de Graaf", Organisation: "Forum Standaardisatie", Bio: "Maarten is adviseur bij het Forum Standaardisatie en helpt overheden bij het toepassen van open standaarden."},
		},
	},
	{
		Venue: "zwolle", Room: "Twentezaal", Slot: 3, Slots: 1,
		Title:    "Ambtenaar 2.0 in je eigen organisatie: zo begin je morgen",
		Format:   "workshop",
		Abstract: "Geïnspireerd geraakt vandaag, maar hoe neem je dat mee naar je eigen afdeling? In deze afsluitende workshop maak je een klein, concreet plan voor de komende maand. Je zoekt een medestander in de zaal en spreekt af elkaar over vier weken te bellen.",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Jeroen Nijhuis", Organisation: "Gemeente Deventer", Bio: "Jeroen is beleidsadviseur bij de gemeente Deventer en organiseert sinds 2011 maandelijks Open Koffie in Oost-Nederland."},
		},
	},

	// ---------------------------------------------------------------- Rotterdam, slot 1 (10:15)
	{
		Venue: "rotterdam", Room: "Burgerzaal", Slot: 0, Slots: 1,
		Title:    "Overheid 2.0 in de stad: Rotterdam en zijn digitale inwoners",
		Format:   "lecture",
		Abstract: "Rotterdammers regelen steeds meer online en verwachten een overheid die meedenkt. In deze openingslezing schetst de spreker hoe de stad haar dienstverlening, communicatie en samenwerking met inwoners vernieuwt. Over successen, mislukkingen en wat een ambtenaar 2.0 in een grote stad nodig heeft.",
		Track:    "Open overheid",
		Speakers: []SpeakerSpec{
			{Name: "Dirk van Leeuwen", Organisation: "Gemeente Rotterdam", Bio: "Dirk is directeur dienstverlening bij de gemeente Rotterdam en actief lid van het netwerk Ambtenaar 2.0."},
		},
	},
	{
		Venue: "rotterdam", Room: "Raadzaal", Slot: 0, Slots: 1,
		Title:    "Open data als grondstof: apps bouwen met overheidsgegevens",
		Format:   "presentation",
		Abstract: "Open data worden pas waardevol als iemand er iets mee doet. De sprekers laten zien hoe ontwikkelaars met gegevens van de gemeente en het Kadaster apps bouwden voor parkeren, wonen en buitenruimte. Ze vertellen ook wat de overheid moet doen om hergebruik makkelijker te maken.",
		Track:    "Open overheid",
		Speakers: []SpeakerSpec{
			{Name: "Yasmina Bouzid", Organisation: "Gemeente Rotterdam", Bio: "Yasmina is programmaleider open data bij de gemeente Rotterdam."},
			{Name: "Thijs Verhoeven", Organisation: "Kadaster", Bio: "Thijs is productmanager geo-informatie bij het Kadaster en werkt aan het openstellen van basisregistraties."},
		},
	},
	{
		Venue: "rotterdam", Room: "Schiedamzaal", Slot: 0, Slots: 2,
		Title:    "Webcare-training: de eerste 24 uur",
		Format:   "training",
		Abstract: "In deze intensieve training beantwoord je in teams vragen en klachten die in een gesimuleerde tijdlijn binnenkomen. Je oefent met toon, snelheid en doorverwijzen, en leert wanneer je een gesprek beter naar telefoon of e-mail verplaatst. Geschikt voor iedereen die (binnenkort) webcare doet.",
		Capacity: 20,
		Track:    "Communicatie",
		Speakers: []SpeakerSpec{
			{Name: "Sanne de Wit", Organisation: "Belastingdienst", Bio: "Sanne is teamleider webcare bij de Belastingdienst, waar dagelijks honderden vragen via sociale media binnenkomen."},
		},
	},
	{
		Venue: "rotterdam", Room: "Erasmuskamer", Slot: 0, Slots: 1,
		Title:    "Deelstoel in de praktijk: ervaringen van wisselaars",
		Format:   "discussion",
		Abstract: "Twee ambtenaren die via Deelstoel tijdelijk bij een andere organisatie werkten, vertellen wat het hen en hun organisatie opleverde. Daarna gaan we met de deelnemers in gesprek: wat houdt je tegen om zelf te gaan, en wat heeft je leidinggevende nodig om ja te zeggen?",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Rik Smulders", Organisation: "Rijkswaterstaat", Bio: "Rik is projectbeheerser bij Rijkswaterstaat en werkte via Deelstoel twee maanden bij een veiligheidsregio."},
			{Name: "Noor Haddou", Organisation: "Ministerie van Infrastructuur en Milieu", Bio: "Noor is beleidsmedewerker en deed via Deelstoel ervaring op bij een grote gemeente."},
		},
	},
	{
		Venue: "rotterdam", Room: "Maaskamer", Slot: 0, Slots: 1,
		Title:    "Open Koffie Rotterdam: ongedwongen kennisdelen",
		Format:   "other",
		Abstract: "Begin de dag met koffie en nieuwe collega's. Bij Open Koffie is er geen programma, wel een paar vragen op tafel om het gesprek op gang te helpen. Iedereen is welkom, ook als je gewoon even wilt binnenlopen.",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Anton van der Meer", Organisation: "Gemeente Schiedam", Bio: "Anton is medewerker klantcontact en mede-organisator van Open Koffie in de regio Rijnmond."},
		},
	},

	// ---------------------------------------------------------------- Rotterdam, slot 2 (11:30)
	{
		Venue: "rotterdam", Room: "Burgerzaal", Slot: 1, Slots: 1,
		Title:    "Burgerinitiatief en overheid: wie volgt wie?",
		Format:   "discussion",
		Abstract: "Inwoners nemen steeds vaker zelf het initiatief: een buurttuin, een energiecoöperatie of een zorgcollectief. Wat is dan nog de rol van de gemeente? In deze paneldiscussie gaan een wijkambtenaar en een adviseur van de VNG met de zaal in gesprek over loslaten, ondersteunen en verantwoorden.",
		Track:    "Open overheid",
		Speakers: []SpeakerSpec{
			{Name: "Joyce Tromp", Organisation: "Gemeente Rotterdam", Bio: "Joyce is wijknetwerker in Feijenoord en ondersteunt bewonersinitiatieven."},
			{Name: "Mehmet Öztürk", Organisation: "VNG", Bio: "Mehmet is adviseur burgerparticipatie bij de Vereniging van Nederlandse Gemeenten."},
		},
	},
	{
		Venue: "rotterdam", Room: "Raadzaal", Slot: 1, Slots: 1,
		Title:    "Social media monitoring tijdens incidenten",
		Format:   "presentation",
		Abstract: "Tijdens een incident is Twitter een bron van informatie en geruchten tegelijk. De veiligheidsregio laat zien hoe een team van monitoringsvrijwilligers, ook van buiten de overheid, het beeld van wat er speelt snel en betrouwbaar in kaart brengt. Met een kijkje in het actuele dashboard.",
		Track:    "Communicatie",
		Speakers: []SpeakerSpec{
			{Name: "Karin Bosman", Organisation: "Veiligheidsregio Rotterdam-Rijnmond", Bio: "Karin is informatiemanager crisiscommunicatie en zette het online monitoringsteam van de regio op."},
		},
	},
	{
		Venue: "rotterdam", Room: "Collegekamer", Slot: 1, Slots: 1,
		Title:    "Samenwerken over organisatiegrenzen met Pleio-groepen",
		Format:   "workshop",
		Abstract: "Hoe houd je een samenwerking tussen gemeente, provincie en Rijk levend als iedereen op een ander netwerk werkt? In deze workshop zie je hoe Pleio-groepen daarbij helpen en bedenk je samen met anderen een aanpak voor je eigen ketensamenwerking.",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Erik-Jan Postma", Organisation: "Pleio, Ministerie van BZK", Bio: "Erik-Jan is adviseur online samenwerken en begeleidt interbestuurlijke groepen op Pleio."},
		},
	},
	{
		Venue: "rotterdam", Room: "Maaskamer", Slot: 1, Slots: 1,
		Title:    "Hackathon light: in een uur van vraag naar prototype",
		Format:   "workshop",
		Abstract: "Een hackathon hoeft geen heel weekend te duren. In deze compacte workshop werk je in kleine teams van een concrete beleidsvraag naar een papieren prototype. Je ervaart hoe snel je met ontwerpmethoden tot bruikbare ideeën komt.",
		Capacity: 15,
		Track:    "Digitaal vakmanschap",
		Speakers: []SpeakerSpec{
			{Name: "Lars Hoekstra", Organisation: "Gemeente Den Haag", Bio: "Lars is innovatieadviseur bij de gemeente Den Haag en organiseerde meerdere civic hackathons."},
		},
	},

	// ---------------------------------------------------------------- Rotterdam, slot 3 (13:30)
	{
		Venue: "rotterdam", Room: "Burgerzaal", Slot: 2, Slots: 1,
		Title:    "Het nieuwe werken bij het Rijk: wat heeft het opgeleverd?",
		Format:   "presentation",
		Abstract: "Rijksambtenaren werken steeds vaker in gedeelde rijkskantoren en op wisselende plekken. Wat betekent dat voor samenwerking, productiviteit en werkplezier? De spreker presenteert de eerste evaluatie en geeft een eerlijk beeld van wat goed ging en wat beter moet.",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Marjolein Vos", Organisation: "Ministerie van Financiën", Bio: "Marjolein is programmamanager 'anders werken' bij het ministerie van Financiën."},
		},
	},
	{
		Venue: "rotterdam", Room: "Raadzaal", Slot: 2, Slots: 1,
		Title:    "Actief openbaar maken: verder dan de Wob",
		Format:   "presentation",
		Abstract: "Wachten tot iemand een Wob-verzoek indient is duur en wekt wantrouwen. De gemeente Rotterdam publiceert steeds meer stukken uit zichzelf. De spreker vertelt hoe je dat organiseert, welke afwegingen je maakt en hoe je omgaat met gevoelige informatie.",
		Track:    "Open overheid",
		Speakers: []SpeakerSpec{
			{Name: "Hans Koster", Organisation: "Gemeente Rotterdam", Bio: "Hans is juridisch adviseur informatie en coördineert de afhandeling van Wob-verzoeken."},
		},
	},
	{
		Venue: "rotterdam", Room: "Schiedamzaal", Slot: 2, Slots: 1,
		Title:    "Digitale toegankelijkheid testen met echte gebruikers",
		Format:   "workshop",
		Abstract: "Automatische tests vinden maar een deel van de toegankelijkheidsproblemen. In deze workshop kijk je mee met ervaringsdeskundigen die een gemeentelijke website gebruiken. Je leert hoe je zelf een eenvoudige gebruikerstest opzet.",
		Track:    "Digitaal vakmanschap",
		Speakers: []SpeakerSpec{
			{Name: "Chantal Meijerink", Organisation: "Gemeente Utrecht", Bio: "Chantal is UX-ontwerper bij de gemeente Utrecht en werkt met een panel van ervaringsdeskundigen."},
		},
	},
	{
		Venue: "rotterdam", Room: "Collegekamer", Slot: 2, Slots: 1,
		Title:    "Twitter-spreekuur: vraag het de wethouder online",
		Format:   "presentation",
		Abstract: "De gemeente Dordrecht organiseert maandelijks een Twitter-spreekuur met een wethouder. Hoe bereid je zoiets voor, hoe ga je om met lastige vragen en wat levert het op voor de relatie met inwoners? Een eerlijk verhaal met cijfers en voorbeelden.",
		Track:    "Communicatie",
		Speakers: []SpeakerSpec{
			{Name: "Bas Roodenburg", Organisation: "Gemeente Dordrecht", Bio: "Bas is communicatieadviseur en bedenker van het Dordtse Twitter-spreekuur."},
		},
	},
	{
		Venue: "rotterdam", Room: "Erasmuskamer", Slot: 2, Slots: 2,
		Title:    "Wiki-training: samen schrijven aan beleid",
		Format:   "training",
		Abstract: "Een beleidsnotitie met twintig mensen tegelijk schrijven? Met een wiki kan dat. In deze training leer je de basis van wiki-syntax, versiebeheer en het modereren van bijdragen. Aan het eind heb je samen met de groep een kort beleidsstuk geschreven.",
		Capacity: 18,
		Track:    "Digitaal vakmanschap",
		Speakers: []SpeakerSpec{
			{Name: "Ilse Verbeek", Organisation: "Waterschap Hollandse Delta", Bio: "Ilse is informatiespecialist en introduceerde de beleidswiki bij het waterschap."},
		},
	},
	{
		Venue: "rotterdam", Room: "Maaskamer", Slot: 2, Slots: 1,
		Title:    "Privacy by design: de privacy impact assessment in een uur",
		Format:   "workshop",
		Abstract: "Een privacy impact assessment klinkt zwaar, maar hoeft dat niet te zijn. In deze workshop doorloop je aan de hand van een echte casus de belangrijkste vragen. Je krijgt een ingevuld voorbeeld mee naar huis.",
		Capacity: 12,
		Track:    "Digitaal vakmanschap",
		Speakers: []SpeakerSpec{
			{Name: "René Claassen", Organisation: "Ministerie van Veiligheid en Justitie", Bio: "René is privacy officer en begeleidt projecten bij het uitvoeren van privacy impact assessments."},
		},
	},

	// ---------------------------------------------------------------- Rotterdam, slot 4 (14:45)
	{
		Venue: "rotterdam", Room: "Burgerzaal", Slot: 3, Slots: 1,
		Title:    "Slotdebat: het programma stopt, leve het netwerk?",
		Format:   "discussion",
		Abstract: "Ambtenaar 2.0 is ooit begonnen als netwerk van onderop. Hoe zorgen we ervoor dat de beweging doorgaat, ook zonder vaste financiering? In dit slotdebat gaan de sprekers en de zaal in gesprek over zelfsturing, eigenaarschap en de volgende stap.",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Dirk van Leeuwen", Organisation: "Gemeente Rotterdam", Bio: "Dirk is directeur dienstverlening bij de gemeente Rotterdam en actief lid van het netwerk Ambtenaar 2.0."},
			{Name: "Femke Zandbergen", Organisation: "Provincie Zuid-Holland", Bio: "Femke is strategisch adviseur en lid van het stichtingsbestuur van het netwerk Ambtenaar 2.0."},
		},
	},
	{
		Venue: "rotterdam", Room: "Raadzaal", Slot: 3, Slots: 1,
		Title:    "Datagedreven werken in de wijk",
		Format:   "presentation",
		Abstract: "Welke straten hebben de meeste meldingen over zwerfvuil, en helpt extra inzet echt? De gemeente Rotterdam combineert meldingen, wijkprofielen en open data om wijkteams te ondersteunen. De spreker laat zien hoe dat werkt en waar je op moet letten bij het koppelen van gegevens.",
		Track:    "Open overheid",
		Speakers: []SpeakerSpec{
			{Name: "Rachid Benali", Organisation: "Gemeente Rotterdam", Bio: "Rachid is data-analist bij de afdeling Onderzoek en Business Intelligence van de gemeente Rotterdam."},
		},
	},
	{
		Venue: "rotterdam", Room: "Schiedamzaal", Slot: 3, Slots: 1,
		Title:    "Co-creatie met burgers: de wijkagenda online",
		Format:   "workshop",
		Abstract: "Hoe stel je samen met bewoners vast wat er in een wijk moet gebeuren? Delft en Rotterdam werkten met een online wijkagenda waarop bewoners ideeën indienen en prioriteren. In deze workshop ontwerp je zelf een participatietraject voor een echte wijkvraag.",
		Track:    "Open overheid",
		Speakers: []SpeakerSpec{
			{Name: "Ellen Dekker", Organisation: "Gemeente Delft", Bio: "Ellen is wijkmanager bij de gemeente Delft."},
			{Name: "Hüseyin Kaya", Organisation: "Gemeente Rotterdam", Bio: "Hüseyin is gebiedsadviseur in Rotterdam-Noord en begeleidde de eerste online wijkagenda."},
		},
	},
	{
		Venue: "rotterdam", Room: "Collegekamer", Slot: 3, Slots: 1,
		Title:    "Een sociaal intranet zonder groot budget",
		Format:   "lecture",
		Abstract: "Een sociaal intranet hoeft geen miljoenenproject te zijn. De gemeente Leiden bouwde het hare met open-sourcesoftware en een klein team. In deze lezing hoor je welke keuzes zij maakten, wat het kostte en hoe zij medewerkers aan het schrijven kregen.",
		Track:    "Samenwerken",
		Speakers: []SpeakerSpec{
			{Name: "Mark Zwart", Organisation: "Gemeente Leiden", Bio: "Mark is informatieadviseur en projectleider van het sociale intranet van de gemeente Leiden."},
		},
	},
	{
		Venue: "rotterdam", Room: "Maaskamer", Slot: 3, Slots: 1,
		Title:    "Video voor de overheid: zelf filmen met je telefoon",
		Format:   "training",
		Abstract: "Een kort filmpje zegt vaak meer dan een persbericht. In deze training leer je met je eigen smartphone een helder filmpje van één minuut te maken, van draaiboek tot ondertiteling. Neem een opgeladen telefoon mee.",
		Capacity: 12,
		Track:    "Communicatie",
		Speakers: []SpeakerSpec{
			{Name: "Jasper Hoogland", Organisation: "Rijkswaterstaat", Bio: "Jasper is online communicatieadviseur bij Rijkswaterstaat en maakt wekelijks video's over werk aan de weg."},
		},
	},
}
