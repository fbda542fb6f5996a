package metrics

import (
	"fmt"

	"medborgarlofte/internal/lofte"
)

// MethodSection is one part of "Så räknas siffrorna": how the figures are made, in plain
// Swedish, for the dashboard's method page and the workbook's method sheet alike.
type MethodSection struct {
	Title, Text string
}

// Method explains the figures of the promise in plain Swedish, with its own thresholds.
func Method(p *lofte.Promise) []MethodSection {
	minN, statusMinN := MinN(p), StatusMinN(p)
	return []MethodSection{
		{"Vilka svar som räknas",
			"Enkätsvaren räknas per basort eller för hela området (alla basorter), och per hela kalendermånader: " +
				"väljer man ett datum mitt i en månad räknas hela månaden med. Det finns inga enkätsiffror per " +
				"enskilt besök. Svar från ordinarie besök räknas i löftets siffror; svar från evenemang (som sommarens) " +
				"redovisas för sig och påverkar inga mål. Svar som lämnats orimligt tätt på samma platta eller " +
				"utanför besökets öppettider sätts åt sidan och räknas bara som antal."},
		{"Skydd av besökarna",
			fmt.Sprintf("Varje antal enkätsvar får ett litet slumpat tillägg mellan −2 och +2 (cell key-metoden, "+
				"som bland annat används för folkräkningar i Europa). Samma grupp av svar får alltid samma "+
				"tillägg, så att man inte kan lära sig något genom att fråga igen eller jämföra två urval som "+
				"nästan är lika. Därför kan summor skilja sig med några få från sina delar. En andel, ett "+
				"medelvärde eller en fördelning visas bara när minst %d svar ligger bakom; annars står ”för få "+
				"svar”, utan värde och utan antal. Fritextsvar visas bara sedan polis granskat och godkänt dem, "+
				"och bara för basorter med minst %d svar i urvalet.", minN, CommentsMinResponses)},
		{"Hela området vägs efter folkmängd",
			"Besökarna kommer oftast från de orter som besöks mest. Siffran för hela området väger därför " +
				"varje basorts andel efter hur många som bor där, som i en stratifierad undersökning. Bredvid " +
				"visas den ovägda siffran för alla svar tillsammans, och hur stor del av befolkningen de basorter " +
				"som har tillräckligt många svar omfattar (täckning). Saknar någon basort folkmängd visas den ovägda " +
				"siffran och det sägs."},
		{"Osäkerhet",
			"Varje andel och medelvärde visas med ett 95-procentigt konfidensintervall. Människor som besöker " +
				"samma tillfälle svarar ofta likt varandra, så intervallen räknar med att svaren klumpar sig per " +
				"besök (designeffekt) och blir bredare än om svaren vore oberoende. En siffra vars intervall är " +
				"bredare än ±10 procentenheter (±0,5 på en skala 1–5) markeras som osäker skattning."},
		{"Status för målen",
			fmt.Sprintf("Ett mål för enkätsvar är uppfyllt när hela intervallet ligger på rätt sida om målet, "+
				"inte uppfyllt när hela intervallet ligger på fel sida, och inte säkerställt när målet ligger "+
				"inom intervallet: då kan svaren inte avgöra saken. Med färre än %d svar, eller när målet "+
				"bygger på en baslinje som saknas, står ”underlag saknas”. Mål för leveransen (genomförda "+
				"besök, annonsering, återkoppling) räknar allt som hänt, inte ett urval, och bedöms på värdet. "+
				"En effekt är uppfylld när alla mål med underlag är uppfyllda, delvis uppfylld när några är det.",
				statusMinN)},
		{"Vilka som svarat", Caveat + " De beskriver besökarna vid polisens mobila kontor, inte alla invånare, " +
			"och kan inte jämföras rakt av med Brås Nationella trygghetsundersökning eller Polisens " +
			"trygghetsmätning; en baslinje därifrån visas som sammanhang."},
		{"Leveransen",
			"Bara besök som publicerats räknas: ett utkast som tas bort var aldrig utlovat. Planerade besök är " +
				"publicerade besök vars start har passerat; framförhållning räknas i kalenderdagar mellan " +
				"publicering och besök. Dagar mellan besök räknas per basort från periodens första dag till dess " +
				"sista (eller i dag), bara dagar inom löftets aktiva period. En siffra som inte går att räkna " +
				"(till exempel leveransgrad utan planerade besök) visas som ”–” med skälet, aldrig som 0."},
	}
}
