package mail

// Sent returns how many e-mails the SMTP server accepted from this worker.
func (w *Worker) Sent() int64 { return w.sent.Load() }

// Failed returns how many e-mails this worker could not compose or send; each is retried.
func (w *Worker) Failed() int64 { return w.failed.Load() }
