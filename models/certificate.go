package models

import (
	"context"
	"fmt"
)

// CertificateHolder is a person who gets a certificate of attendance: admitted at their
// venue's door (issue #18), and neither erased nor anonymised by the retention job (a
// certificate that names nobody certifies nothing).
type CertificateHolder struct {
	ID           uint
	Name         string
	Organisation string
	Lang         string
}

// CertificateHolders lists the people of a venue who were admitted at its door (a check-in
// that was not undone) and whose data was neither erased nor anonymised, by last name: one certificate each.
// A person who cancelled after coming in still attended.
func (s *Store) CertificateHolders(ctx context.Context, venueID uint) ([]CertificateHolder, error) {
	var out []CertificateHolder
	err := s.db.WithContext(ctx).Model(&Registration{}).
		Select("id", "name", "organisation", "lang").
		Where("venue_id = ? AND erased_at IS NULL AND name <> ''", venueID).
		Where(admittedRegistration).
		Order("sort_name, id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("certificate holders of venue %d: %w", venueID, err)
	}
	return out, nil
}

// CertificateHolder returns the registration a certificate code names, with its venue,
// when the person was admitted at the door and not erased or anonymised since: the certificate's
// ground. It returns ErrNotFound otherwise, whatever the reason, so that a check page says
// no more than "not valid".
func (s *Store) CertificateHolder(ctx context.Context, eventID, regID uint) (Registration, error) {
	var r Registration
	err := s.db.WithContext(ctx).Preload("Venue").
		Where("event_id = ? AND erased_at IS NULL AND name <> ''", eventID).
		Where(admittedRegistration).
		First(&r, regID).Error
	if err != nil {
		return Registration{}, notFound(err, "certificate holder", regID)
	}
	return r, nil
}

// ExportCertificates is the export kind of a venue's certificates of attendance, for
// RecordExport: they print names and organisations.
const ExportCertificates = "certificates.pdf"
