// Package lofte is the domain of medborgarlofte: a citizen promise (medborgarlöfte), its
// localities, the mobile police office's stops, the visitors' anonymous responses, and the
// people and devices that use the app. It holds the rules (Validate), the store interfaces
// that technology packages implement, and the one error type every layer speaks.
//
// It imports the standard library only.
//
// Glossary (Swedish – English):
//
//	medborgarlöfte   citizen promise: a written commitment by a municipality and its police area
//	basort           a smaller locality outside the central town, where the mobile office stops
//	lokalpolisområde local police area (LPO); its head signs the promise
//	BRÅ              brottsförebyggande rådet: the local crime-prevention council
//	trygghet         the feeling of safety (as opposed to measured crime)
//	trygghetsmätning safety survey; gives the baseline figures
//	återkoppling     feedback given back to residents ("ni sa – vi gjorde")
package lofte
