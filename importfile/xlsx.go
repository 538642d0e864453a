package importfile

import (
	"archive/zip"
	"bytes"

	"github.com/xuri/excelize/v2"

	"github.com/ambtenaar20/dagplanner/models"
)

// Bounds on what an XLSX may unpack to: a 5 MB file of real people unpacks to a few tens of
// megabytes; a zip bomb declares (or would reach) far more.
const (
	maxUnpacked    = 100 << 20
	maxUnpackedXML = 32 << 20
	maxZipEntries  = 1000
)

// readXLSX reads the first sheet of an XLSX file. The zip's declared sizes are checked
// before excelize opens it, and excelize is held to the same bounds while it unpacks.
func readXLSX(data []byte) ([][]string, func(row, col int) bool, []models.ImportProblem) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, fileProblem("import.not_xlsx")
	}
	if len(zr.File) > maxZipEntries {
		return nil, nil, fileProblem("import.too_large_unpacked")
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > maxUnpackedXML || total > maxUnpacked {
			return nil, nil, fileProblem("import.too_large_unpacked")
		}
		workbook = workbook || f.Name == "xl/workbook.xml"
	}
	if !workbook {
		return nil, nil, fileProblem("import.not_xlsx")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: maxUnpacked, UnzipXMLSizeLimit: maxUnpackedXML})
	if err != nil {
		return nil, nil, fileProblem("import.not_xlsx")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, fileProblem("import.empty")
	}
	sheet := sheets[0]
	table, err := f.GetRows(sheet)
	if err != nil {
		return nil, nil, fileProblem("import.not_xlsx")
	}
	if len(table) > models.MaxImportRows+1 {
		return nil, nil, fileProblem("import.too_many_rows", "Max", models.MaxImportRows)
	}
	// Formulas are refused, never evaluated (nor their cached values trusted). They are
	// looked up now: the file is closed when this returns.
	formulas := map[[2]int]bool{}
	if len(table) > 0 {
		for row := 1; row < len(table); row++ {
			for col := range len(table[0]) {
				cell, err := excelize.CoordinatesToCellName(col+1, row+1)
				if err != nil {
					continue
				}
				if fx, err := f.GetCellFormula(sheet, cell); err == nil && fx != "" {
					formulas[[2]int{row, col}] = true
				}
			}
		}
	}
	return table, func(row, col int) bool { return formulas[[2]int{row, col}] }, nil
}
