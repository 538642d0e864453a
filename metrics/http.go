package metrics

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// unmatched is the route label of requests no route matched: their raw paths would give
// every mistyped or probing URL a series of its own.
const unmatched = "unmatched"

// Middleware counts and times every request by its route pattern (gin's FullPath, such as
// /boeking/:token), never by its path, so the number of series stays bounded and no
// personal link ends up in the metrics.
func (m *Metrics) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = unmatched
		}
		m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
		m.latency.WithLabelValues(route, c.Request.Method).Observe(time.Since(start).Seconds())
	}
}
