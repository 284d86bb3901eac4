package pdq

// cells is the side of the decimated buffer the DCT works on.
const cells = 64

// cellCentre is the index, along a side of n values, of the centre of cell
// i of cells: the decimation samples the filtered luma there. The
// arithmetic is float64, as in the reference.
func cellCentre(i, n int) int {
	return int((float64(i) + 0.5) * float64(n) / cells)
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
