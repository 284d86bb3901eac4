package pdq

// cells is the side of the decimated buffer the DCT works on.
const cells = 64

// decimate samples the filtered luma at the centre of each of 64x64 cells.
// The index arithmetic is float64, as in the reference.
func decimate(l luma) *[cells][cells]float32 {
	var out [cells][cells]float32
	for i := range cells {
		r := int((float64(i) + 0.5) * float64(l.rows) / cells)
		row := l.pix[r*l.cols : (r+1)*l.cols]
		for j := range cells {
			out[i][j] = row[int((float64(j)+0.5)*float64(l.cols)/cells)]
		}
	}
	return &out
}

// quality scores how much detail the image has, from 0 (flat) to 100: the
// sum of absolute neighbour differences in the 64x64 buffer, each scaled to
// percent of full range and truncated, then divided by 90.
func quality(a *[cells][cells]float32) int {
	sum := 0
	for i := range cells - 1 {
		for j := range cells {
			sum += absInt(int((a[i][j] - a[i+1][j]) * 100 / 255))
		}
	}
	for i := range cells {
		for j := range cells - 1 {
			sum += absInt(int((a[i][j] - a[i][j+1]) * 100 / 255))
		}
	}
	return min(sum/90, 100)
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
