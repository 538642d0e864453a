package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/help"
)

// helpData is a help page in the person's language, with a link to the other help page.
type helpData struct {
	Page
	Help help.Text
	// Other is the address of the other help page and OtherKey its link's message key.
	Other, OtherKey string
}

// showAttendeesHelp shows the help for attendees: registering, the booking, the ticket.
func (h *Handler) showAttendeesHelp(c *gin.Context) {
	h.showHelp(c, help.Attendees, "/hulp/sprekers", "help.speakers_link")
}

// showSpeakersHelp shows the help for speakers: the call, the decision, their session.
func (h *Handler) showSpeakersHelp(c *gin.Context) {
	h.showHelp(c, help.Speakers, "/hulp", "help.attendees_link")
}

func (h *Handler) showHelp(c *gin.Context, topic help.Topic, other, otherKey string) {
	text, ok := h.help.Get(string(h.tr(c).Lang()), topic)
	if !ok {
		h.notFound(c)
		return
	}
	p := h.page(c, text.Title, "")
	h.render(c, http.StatusOK, "help", helpData{Page: p, Help: text, Other: other, OtherKey: otherKey})
}
