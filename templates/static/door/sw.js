// Service worker of the scan page (placeholder).
