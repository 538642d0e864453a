package handlers

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// routes lists every route of the site in one place.
func (h *Handler) routes() (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(h.trustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	r.HandleMethodNotAllowed = true
	if h.observe != nil {
		r.Use(h.observe) // first, so it sees the status a recovered panic leaves
	}
	r.Use(h.requestID, h.recoverPanic, securityHeaders, h.language, h.crossOriginProtection)

	// Probes for the load balancer and the orchestrator, and the static files
	r.GET("/healthz", h.healthz)
	r.GET("/readyz", h.readyz)
	r.GET("/static/*file", h.serveStatic)
	r.HEAD("/static/*file", h.serveStatic)
	r.GET("/favicon.ico", h.showFavicon)
	r.GET("/.well-known/security.txt", h.showSecurityTxt)

	// Public site
	r.GET("/", h.showHome)
	r.GET("/programma", h.showProgrammeIndex)
	r.GET("/programma/:venue", h.showProgramme)
	r.GET("/programma/:venue/deurbordjes.pdf", h.venueDoorSignsPDF)
	r.GET("/sessies/:id", h.showSession)
	r.GET("/sessies/:id/sprekers/:speaker/foto", h.showSpeakerPhoto)
	r.GET("/archief", h.showArchive) // issue #18: past editions and their programmes, read-only
	r.GET("/archief/:year/programma/:venue", h.showArchivedProgramme)
	r.POST("/taal", h.switchLanguage)
	r.GET("/privacy", h.showPrivacy)
	r.GET("/toegankelijkheid", h.showAccessibilityStatement)
	r.GET("/hulp", h.showAttendeesHelp)
	r.GET("/hulp/sprekers", h.showSpeakersHelp)

	// Attendees: registering, and managing a booking through the personal link
	r.GET("/aanmelden", h.showRegisterVenues)
	r.GET("/aanmelden/:venue", h.showRegisterForm)
	r.POST("/aanmelden/:venue", h.createRegistration)
	r.GET("/boeking/link", h.showResendLink)
	r.POST("/boeking/link", h.resendLink)
	r.GET("/boeking/:token", h.showBooking)
	r.POST("/boeking/:token/wijzigen", h.changeBooking)
	r.POST("/boeking/:token/voorkeuren", h.changePreferences) // issue 19: a new ranking while the window is open
	r.GET("/boeking/:token/annuleren", h.showCancelBooking)
	r.POST("/boeking/:token/annuleren", h.cancelBooking)
	r.POST("/boeking/:token/bevestigen", h.reconfirmBooking)
	r.GET("/boeking/:token/ticket.pdf", h.downloadTicket)
	// Issue 18: the certificate of attendance, once the person came in
	r.GET("/boeking/:token/certificaat.pdf", h.downloadCertificate)
	r.GET("/boeking/:token/gegevens", h.showBookingData) // issue 17: the attendee's own data
	r.GET("/boeking/:token/gegevens.json", h.downloadBookingData)
	r.GET("/boeking/:token/wissen", h.showEraseBooking)
	r.POST("/boeking/:token/wissen", h.eraseBooking)
	// Issue 18: anyone (an employer) checks a certificate of attendance by its signed code.
	r.GET("/certificaat/:code", h.showCertificateCheck)
	// After the day (#18): rating the sessions attended and the survey, through the feedback e-mail's link
	r.GET("/feedback/:token", h.showFeedback)
	r.POST("/feedback/:token", h.saveFeedback)
	// The personal calendar feed has a read-only token of its own, never the personal link.
	r.GET("/agenda/:feed", h.personalICal)

	// Speakers: the call for proposals, and their proposal through the personal link
	r.GET("/voorstellen", h.showProposalForm)
	r.POST("/voorstellen", h.createProposal)
	r.GET("/voorstel/:token", h.showProposal)
	r.POST("/voorstel/:token", h.updateProposal)
	r.POST("/voorstel/:token/intrekken", h.withdrawProposal)
	r.GET("/voorstel/:token/foto", h.showProposalPhoto)
	r.GET("/voorstellen/medespreker/:token", h.showCoSpeaker)
	r.POST("/voorstellen/medespreker/:token", h.confirmCoSpeaker)
	// An accepted speaker's one-click answer, and the participants list of their session
	r.GET("/voorstel/:token/bevestigen", h.showConfirmProposal)
	r.POST("/voorstel/:token/bevestigen", h.confirmProposal)
	r.GET("/voorstel/:token/afzeggen", h.showDeclineProposal)
	r.POST("/voorstel/:token/afzeggen", h.declineProposal)
	r.GET("/voorstel/:token/deelnemers.csv", h.downloadParticipants)
	// The speaker's own data: to read, to take, and to erase (issue #17)
	r.GET("/voorstel/:token/gegevens", h.showProposalData)
	r.GET("/voorstel/:token/gegevens.json", h.downloadProposalData)
	r.GET("/voorstel/:token/wissen", h.showEraseProposal)
	r.POST("/voorstel/:token/wissen", h.eraseProposal)
	r.GET("/voorstellen/medespreker/:token/gegevens", h.showCoSpeakerData)
	r.GET("/voorstellen/medespreker/:token/gegevens.json", h.downloadCoSpeakerData)
	r.GET("/voorstellen/medespreker/:token/wissen", h.showEraseCoSpeaker)
	r.POST("/voorstellen/medespreker/:token/wissen", h.eraseCoSpeaker)

	// Open voting on proposals: asking for a ballot link, and voting through it
	r.GET("/stemmen", h.showVoting)
	r.POST("/stemmen", h.requestBallot)
	r.GET("/stemmen/stembiljet/:token", h.showBallot)
	r.POST("/stemmen/stembiljet/:token", h.castVotes)
	r.GET("/stemmen/stembiljet/:token/gegevens", h.showVoterData)
	r.GET("/stemmen/stembiljet/:token/gegevens.json", h.downloadVoterData)
	r.GET("/stemmen/stembiljet/:token/wissen", h.showEraseVoter)
	r.POST("/stemmen/stembiljet/:token/wissen", h.eraseVoter)

	// Door staff: the scan page, installable and working offline
	r.GET("/deur", h.showDoor)
	r.GET("/deur/sw.js", h.doorServiceWorker)
	r.GET("/deur/manifest.webmanifest", h.doorManifest)

	// Organisers: signing in and out
	r.GET("/beheer/inloggen", h.showLogin)
	r.POST("/beheer/inloggen", h.login)
	r.POST("/beheer/uitloggen", h.logout)
	// Single sign-on through the organisation's identity provider; 404 when not configured.
	r.GET("/beheer/inloggen/sso", h.startSSO)
	r.GET("/beheer/inloggen/sso/terug", h.finishSSO)

	// The second step of signing in (public: the password was right, a code is owed); one's own
	// second factor (any signed-in role, also before the gate lets them further); the admins'
	// second-factor policy and reset.
	r.GET("/beheer/inloggen/tweede-stap", h.showSecondStep)
	r.POST("/beheer/inloggen/tweede-stap", h.checkSecondStep)
	twoStep := r.Group(twoStepPath, h.requireSignedIn)
	twoStep.GET("", h.showTwoStep)
	twoStep.POST("", h.enrolTwoStep)
	twoStep.GET("/herstelcodes", h.showRecoveryCodes)
	twoStep.POST("/uitzetten", h.disableTwoStep)
	security := r.Group(securityPath, h.requireRole(models.RoleAdmin))
	security.GET("", h.showSecurity)
	security.POST("", h.updateSecurityPolicy)
	security.POST("/:user/herstellen", h.resetSecondFactor)

	// Passkeys: signing in without a password, or as the second step after it; and every
	// signed-in account manages its own passkeys.
	r.POST("/beheer/inloggen/passkey/begin", h.beginPasskeySignIn)
	r.POST("/beheer/inloggen/passkey/afronden", h.finishPasskeySignIn)
	r.GET("/beheer/inloggen/passkey", h.showPasskeySecondStep)
	r.POST("/beheer/inloggen/passkey/tweede-stap/begin", h.beginPasskeySecondStep)
	r.POST("/beheer/inloggen/passkey/tweede-stap/afronden", h.finishPasskeySecondStep)
	// Like the TOTP page, reachable before the second-factor gate: a passkey is one way to
	// meet the policy.
	pk := r.Group(passkeysPath, h.requireSignedIn)
	pk.GET("", h.showPasskeys)
	pk.POST("/registratie/begin", h.beginPasskeyRegistration)
	pk.POST("/registratie/afronden", h.finishPasskeyRegistration)
	pk.POST("/:passkey/verwijderen", h.removePasskey)

	// Passwords and sign-ins: "forgot password" for anyone, and every signed-in role's own
	// account, password and sign-ins.
	r.GET("/beheer/wachtwoord-vergeten", h.showForgotPassword)
	r.POST("/beheer/wachtwoord-vergeten", h.requestPasswordReset)
	r.GET("/beheer/wachtwoord-herstellen/:token", h.showResetPassword)
	r.POST("/beheer/wachtwoord-herstellen/:token", h.resetPassword)
	acc := r.Group("/beheer/account", h.requireRole(models.Roles...))
	acc.GET("", h.showAccount)
	acc.GET("/wachtwoord", h.showChangePassword)
	acc.POST("/wachtwoord", h.changePassword)
	acc.GET("/sessies", h.showSignIns)
	acc.POST("/sessies/andere-beeindigen", h.endOtherSignIns)
	acc.POST("/sessies/:signin/beeindigen", h.endSignIn)

	// Organisers: the event, its venues, rooms, slots and sessions
	b := r.Group("/beheer", h.requireRole(models.RoleAdmin, models.RoleOrganiser))
	b.GET("", h.showDashboard)
	b.GET("/evenement", h.editEvent)
	b.POST("/evenement", h.updateEvent)
	b.POST("/herinnering", h.sendReminders)
	// Venues, their printed lists and badges, and the door devices paired with them
	b.GET("/locaties/nieuw", h.newVenue)
	b.POST("/locaties/nieuw", h.createVenue)
	b.GET("/locaties/:venue", h.showVenueAdmin)
	b.GET("/locaties/:venue/bewerken", h.editVenue)
	b.POST("/locaties/:venue/bewerken", h.updateVenue)
	b.POST("/locaties/:venue/badges.pdf", h.badgesPDF)
	b.GET("/locaties/:venue/deurlijst.pdf", h.doorListPDF)
	// Issue 18: the certificates of everyone who came in, one page each, to print
	b.GET("/locaties/:venue/certificaten.pdf", h.venueCertificatesPDF)
	b.GET("/locaties/:venue/apparaten", h.showDevices)
	b.POST("/locaties/:venue/apparaten", h.createDevice)
	b.GET("/apparaten/:device/koppelen", h.showPairing)
	b.POST("/apparaten/:device/intrekken", h.revokeDevice)
	// The day itself: arrivals, walk-ins from the arrivals page, and the venue's needs
	b.GET("/binnenkomst", h.showArrivals)
	b.GET("/locaties/:venue/binnenkomst", h.showVenueArrivals)
	b.POST("/locaties/:venue/binnenlopers", h.createWalkInForm)
	b.GET("/locaties/:venue/behoeften", h.showVenueNeeds)
	// Rooms, slots and sessions
	b.GET("/locaties/:venue/zalen/nieuw", h.newRoom)
	b.POST("/locaties/:venue/zalen/nieuw", h.createRoom)
	b.GET("/zalen/:room", h.editRoom)
	b.POST("/zalen/:room", h.updateRoom)
	b.GET("/locaties/:venue/tijdvakken/nieuw", h.newSlot)
	b.POST("/locaties/:venue/tijdvakken/nieuw", h.createSlot)
	b.GET("/tijdvakken/:slot", h.editSlot)
	b.POST("/tijdvakken/:slot", h.updateSlot)
	b.GET("/sessies", h.listSessionsAdmin)
	b.GET("/sessies/nieuw", h.newSession)
	b.POST("/sessies/nieuw", h.createSession)
	b.GET("/sessies/:session", h.editSession)
	b.POST("/sessies/:session", h.updateSession)
	// Publishing the programme, and the automatic planner behind the board's button
	b.GET("/programma", h.showPublishing)
	b.POST("/programma/publiceren", h.publishSchedule)
	b.POST("/rooster/plannen", h.planSchedule)
	// Editions (#18): the edition an organiser works on, a new one from the last, publishing it
	b.POST("/editie", h.switchEdition)
	b.GET("/edities", h.showEditions)
	b.POST("/edities/nieuw", h.planEdition)
	b.POST("/edities/nieuw/bevestigen", h.createEdition)
	b.POST("/edities/:edition/publiceren", h.publishEdition)
	// Signing up by preference (#19): the allocation's report, and its table per venue as CSV
	b.GET("/toewijzing", h.showAllocationReport)
	b.GET("/toewijzing/:venue/sessies.csv", h.exportAllocationCSV)
	// Feedback after the day (#18): the results and their exports, public or not, and the survey's questions
	b.GET("/feedback", h.showFeedbackResults)
	b.GET("/feedback/sessies.csv", h.exportFeedbackSessionsCSV)
	b.GET("/feedback/opmerkingen.csv", h.exportFeedbackCommentsCSV)
	b.GET("/feedback/enquete.csv", h.exportSurveyCSV)
	b.POST("/feedback/openbaar", h.setResultsPublic)
	b.GET("/feedback/vragen", h.showSurveyQuestions)
	b.POST("/feedback/vragen", h.createSurveyQuestion)
	b.GET("/feedback/vragen/:question", h.editSurveyQuestion)
	b.POST("/feedback/vragen/:question", h.updateSurveyQuestion)
	b.POST("/feedback/vragen/:question/verwijderen", h.deleteSurveyQuestion)
	b.POST("/feedback/vragen/:question/omhoog", h.moveSurveyQuestionUp)
	b.POST("/feedback/vragen/:question/omlaag", h.moveSurveyQuestionDown)

	// Reviewers and organisers: reviewing proposals; organisers also decide and keep the tracks
	rv := r.Group("/beheer", h.requireRole(models.RoleAdmin, models.RoleOrganiser, models.RoleReviewer))
	rv.GET("/voorstellen", h.listProposalsReview)
	rv.GET("/voorstellen/:proposal", h.showProposalReview)
	rv.GET("/voorstellen/:proposal/foto", h.showProposalPhotoReview)
	rv.POST("/voorstellen/:proposal/beoordeling", h.saveReview)
	rv.POST("/voorstellen/:proposal/besluit", h.requireDecider, h.decideProposal)
	rv.POST("/voorstellen/:proposal/thema", h.requireDecider, h.setProposalTrack)
	rv.GET("/themas", h.requireDecider, h.listTracks)
	rv.POST("/themas", h.requireDecider, h.createTrack)
	rv.POST("/themas/:track", h.requireDecider, h.renameTrack)
	rv.POST("/themas/:track/verwijderen", h.requireDecider, h.deleteTrack)

	// Organisers: telling speakers the decisions (the outbox of drafts, and its templates)
	b.GET("/besluiten", h.showDecisionOutbox)
	b.POST("/besluiten/voorbereiden", h.prepareDecisionMails)
	b.POST("/besluiten/verzenden", h.sendDecisionMails)
	b.POST("/besluiten/weggooien", h.discardDecisionDrafts)
	b.POST("/besluiten/concepten/:draft/weggooien", h.discardDecisionDraft)
	b.GET("/besluiten/sjablonen", h.listDecisionTemplates)
	b.GET("/besluiten/sjablonen/:decision/:lang", h.editDecisionTemplate)
	b.POST("/besluiten/sjablonen/:decision/:lang", h.saveDecisionTemplate)
	b.POST("/besluiten/sjablonen/:decision/:lang/standaard", h.resetDecisionTemplate)

	// The board: rooms × slots per venue, moves, pins, problems
	b.GET("/rooster/:venue", h.showBoard)
	b.POST("/rooster/:venue/verplaatsen", h.moveSession)
	b.POST("/rooster/:venue/vastzetten", h.pinSession)
	// The navigation's board and venues are pages per venue, so they lead to the first venue's.
	b.GET("/rooster", h.showFirstBoard)
	b.GET("/locaties", h.showFirstVenue)

	// The people: organisers and admins, signed in or with an organiser's API
	// token; a venue-scoped organiser sees only their venue's people (another venue's person
	// is a 404) and imports only into their venue.
	people := r.Group("/beheer/deelnemers", h.requireOrganiser)
	people.GET("", h.listPeople)
	people.GET("/export.csv", h.exportPeopleCSV)
	people.GET("/export.xlsx", h.exportPeopleXLSX)
	people.GET("/importeren", h.showImport)
	people.POST("/importeren", h.checkImport)
	people.POST("/importeren/bevestigen", h.runImport)
	people.GET("/nieuw", h.newPerson)
	people.POST("/nieuw", h.createPerson)
	people.GET("/:id", h.showPerson)
	people.POST("/:id/gegevens", h.updatePersonDetails)
	people.POST("/:id/sessies", h.changePersonSessions)
	people.GET("/:id/annuleren", h.showCancelPerson)
	people.POST("/:id/annuleren", h.cancelPerson)
	people.POST("/:id/link", h.resendPersonLink)
	people.POST("/:id/wachtlijst/:session", h.actOnWaitlist)

	// Messages to an audience: organisers and admins (signed in or with an organiser's API
	// token); a venue-scoped organiser writes to their venue's people and sees only the
	// messages written for their venue.
	msgs := r.Group("/beheer/berichten", h.requireOrganiser)
	msgs.GET("", h.listMessages)
	msgs.GET("/nieuw", h.newMessage)
	msgs.POST("/nieuw", h.createMessage)
	msgs.GET("/:message", h.showMessage)
	msgs.GET("/:message/bewerken", h.editMessage)
	msgs.POST("/:message/bewerken", h.updateMessage)
	msgs.POST("/:message/test", h.testMessage)
	msgs.POST("/:message/versturen", h.sendMessage)
	msgs.POST("/:message/annuleren", h.cancelMessage)

	// The team: admins manage the accounts and invitations; the invitation's link is public.
	team := r.Group("/beheer/team", h.requireRole(models.RoleAdmin))
	team.GET("", h.showTeam)
	team.POST("/uitnodigen", h.inviteMember)
	team.POST("/uitnodigingen/:invitation/opnieuw", h.resendInvitation)
	team.POST("/uitnodigingen/:invitation/intrekken", h.withdrawInvitation)
	team.GET("/:user", h.showTeamAccount)
	team.POST("/:user", h.updateTeamAccount)
	team.POST("/:user/deactiveren", h.deactivateTeamAccount)
	team.POST("/:user/activeren", h.reactivateTeamAccount)
	r.GET("/beheer/uitnodiging/:token", h.showInvitation)
	r.POST("/beheer/uitnodiging/:token", h.acceptInvitation)

	// The audit log: admins only. It is read-only: no route edits or deletes an entry.
	logbook := r.Group("/beheer/logboek", h.requireRole(models.RoleAdmin))
	logbook.GET("", h.showAuditLog)
	logbook.GET("/export.csv", h.exportAuditCSV)

	// Anything else: a 404 or 405 in the request's own style (JSON for the API, a page otherwise)

	// JSON API for integrations and conference apps
	api := r.Group("/api/v1")
	api.GET("/event", h.getEvent)
	api.GET("/event/keys", h.getEventKeys)
	api.GET("/venues/:slug/sessions", h.listVenueSessions)
	api.GET("/venues/:slug/schedule.xml", h.venueScheduleXML)
	api.GET("/venues/:slug/schedule.json", h.venueScheduleJSON)
	api.GET("/venues/:slug/schedule.ics", h.venueScheduleICal)
	api.GET("/venues/:slug/schedule.pdf", h.venueSchedulePDF)
	api.GET("/programme.json", h.openDataJSON)
	api.GET("/programme.csv", h.openDataCSV)
	api.GET("/openapi.json", h.getOpenAPI)
	api.POST("/registrations", h.createRegistrationAPI)
	api.GET("/registrations", h.requireOrganiser, h.listRegistrationsAPI)
	api.POST("/registrations/import", h.requireOrganiser, h.importRegistrationsAPI)
	api.GET("/registrations/:id", h.getRegistrationAPI)
	api.PATCH("/registrations/:id", h.changeRegistrationAPI)
	api.DELETE("/registrations/:id", h.cancelRegistrationAPI)
	api.GET("/registrations/:id/ticket.pdf", h.getTicketAPI)
	// Issue 18: the public check of a certificate of attendance
	api.GET("/certificates/:code", h.getCertificateAPI)
	api.GET("/registrations/:id/export", h.exportRegistrationAPI) // issue 17: the attendee's own data
	api.POST("/registrations/:id/erase", h.eraseRegistrationAPI)
	api.POST("/proposals", h.createProposalAPI)
	api.GET("/proposals/:id", h.getProposalAPI)
	api.PATCH("/proposals/:id", h.changeProposalAPI)
	api.DELETE("/proposals/:id", h.withdrawProposalAPI)
	api.GET("/proposals/:id/export", h.exportProposalAPI)
	api.POST("/proposals/:id/erase", h.eraseProposalAPI)
	api.GET("/door", h.getDoor)
	api.GET("/venues/:slug/checkin-list", h.getCheckInList)
	api.POST("/checkins", h.createCheckIn)
	api.DELETE("/checkins/:id", h.undoCheckIn)
	// Room doors (issue #18): the sessions a room's door scans for, and one room's figures
	api.GET("/door/sessions", h.listRoomSessions)
	api.GET("/door/sessions/:id", h.getRoomDoor)
	api.POST("/walkins", h.createWalkIn)

	r.NoRoute(h.notFound)
	r.NoMethod(func(c *gin.Context) {
		if isAPI(c) {
			h.apiError(c, http.StatusMethodNotAllowed, "method_not_allowed", h.tr(c).T("error.method_not_allowed"), nil)
			return
		}
		h.errorPage(c, http.StatusMethodNotAllowed, "error.method_not_allowed_page")
	})
	h.getRoutes = pageRoutes(r.Routes()) // the navigation shows only pages that exist
	return r, nil
}
