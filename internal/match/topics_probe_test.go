package match

import (
	"strings"
	"testing"
)

func TestTopicProbe(t *testing.T) {
	an := &docAnalyzer{v: baseVocab, tries: []*trie{baseVocab.trie}}
	cases := [][2]string{
		{"切削工具の寿命を延ばす加工条件を研究したい", "精密加工"},
		{"マイクロ流路チップを試作したい", "微細加工・MEMS"},
		{"ベアリングの潤滑不良による焼付きを防ぎたい", "トライボロジー"},
		{"溶接部の疲労き裂の発生を評価したい", "材料強度・疲労"},
		{"アルミと樹脂を接着ではなく直接接合したい", "溶接・接合"},
		{"めっき皮膜の密着性を改善したい", "表面工学・めっき"},
		{"焼入れ後の寸法変化を抑えたい。金属組織を調べたい", "金属組織・熱処理"},
		{"バイオマスプラスチックの強度を上げたい", "高分子・複合材料"},
		{"窒化ケイ素セラミックスの焼結条件を最適化したい", "セラミックス材料"},
		{"検査員の目視検査を自動化したい", "画像処理・外観検査"},
		{"過去の受注データから需要を予測したい", "機械学習・AI"},
		{"人手で行っているピッキングをロボット化したい", "ロボティクス"},
		{"モーターの位置決め精度を上げるフィードバック制御", "制御工学"},
		{"工場内を走る無人搬送車の自動運転", "自動運転・モビリティ"},
		{"DC-DCコンバータの効率を改善したい", "パワーエレクトロニクス"},
		{"ブラシレスモータの騒音と効率", "モータ・電動機"},
		{"リチウムイオン電池の劣化診断", "電池・電気化学"},
		{"LPWAで遠隔地の設備を監視したい", "無線通信・IoT"},
		{"マイコンのファームウェアをRTOSに移行したい", "組込みシステム・FPGA"},
		{"ポンプ内部の流れを解析して効率を上げたい", "流体工学・CFD"},
		{"制御盤内の温度上昇を抑える冷却設計", "熱工学・冷却"},
		{"機械の異音の原因を特定したい", "振動・騒音"},
		{"歩行を補助する装具を開発したい", "生体医工学"},
		{"操作パネルを使いやすくしたい", "人間工学・UX"},
		{"レーザー加工の光学系を設計したい", "光学・レーザー"},
		{"ひずみゲージで荷重を計測したい", "センシング・計測"},
		{"工場から出る廃プラスチックをリサイクルしたい", "環境・リサイクル"},
		{"水素を燃料に使うボイラーの検討", "水素・エネルギー"},
		{"段取り替えの時間を短縮して生産性を上げたい", "生産システム・IE"},
		{"金属積層造形で軽量な部品を作りたい", "積層造形"},
		{"FEMで部品の強度をシミュレーションしたい", "構造解析・CAE"},
		{"We want to reduce friction and wear in sliding parts", "トライボロジー"},
		{"We need help with thermal design of an LED lighting module", "熱工学・冷却"},
		{"Looking for a lab to develop a vision system that detects scratches", "画像処理・外観検査"},
		{"We want to recycle our plastic scrap", "環境・リサイクル"},
		{"We need a partner for motor control and inverter design", "パワーエレクトロニクス"},
	}
	bad := 0
	for _, c := range cases {
		a := an.understand(Query{Kind: KindNeeds, Text: c[0]}, "")
		top := ""
		if len(a.topicList) > 0 {
			top = baseVocab.concepts[a.topicList[0].id].label
		}
		ok := false
		for i, tw := range a.topicList {
			if i < 2 && baseVocab.concepts[tw.id].label == c[1] && tw.w > 0.7 {
				ok = true
			}
		}
		if !ok {
			bad++
			var l []string
			for _, tw := range a.topicList {
				l = append(l, baseVocab.concepts[tw.id].label)
			}
			t.Errorf("%s → want topic %s, got %s %v", c[0], c[1], top, l)
		}
	}
	t.Logf("%d/%d ok", len(cases)-bad, len(cases))
}

func TestProcessProbe(t *testing.T) {
	an := &docAnalyzer{v: baseVocab, tries: []*trie{baseVocab.trie}}
	cases := [][2]string{
		{"丸棒から削ってシャフトを作ってほしい", "旋盤加工|切削加工"},
		{"スイス型の自動盤で小物を量産", "自動盤加工"},
		{"フライスでブロックを加工", "マシニング加工"},
		{"同時５軸でインペラを削りたい", "5軸加工"},
		{"焼入れ鋼の平面研削をお願いしたい", "研削加工"},
		{"φ0.1の穴を多数あけたい", "微細加工|切削加工"},
		{"型彫り放電で電極から加工", "放電加工"},
		{"SKD11をワイヤで抜いてほしい", "ワイヤーカット"},
		{"ステンレス板をレーザーで切り抜き", "レーザー加工"},
		{"順送で端子を打ち抜き", "プレス加工"},
		{"カップ状に深く絞る加工", "深絞り加工"},
		{"鉄板を曲げて箱にしたい", "板金加工"},
		{"ステンレスの溶接組立", "溶接"},
		{"大型の缶体を溶接で製作", "製缶"},
		{"鋳鉄の鋳物を作ってほしい", "鋳造"},
		{"アルミのダイキャスト品", "ダイカスト"},
		{"鍛造でフランジを作りたい", "鍛造"},
		{"射出成形用の金型を作ってほしい", "金型製作"},
		{"亜鉛メッキをしてほしい", "めっき"},
		{"アルミを陽極酸化してほしい", "アルマイト"},
		{"鉄部品に焼付塗装", "塗装"},
		{"浸炭焼入れをしてほしい", "熱処理"},
		{"ステンレスの鏡面研磨", "研磨・表面仕上げ"},
		{"工具にPVDコーティング", "コーティング"},
		{"ABSの射出成形で月5000個", "樹脂射出成形"},
		{"POMの削り出し部品", "樹脂切削|切削加工"},
		{"シリコーンゴムで成形品を作りたい", "ゴム成形"},
		{"樹脂の3Dプリントで試作", "3Dプリンタ造形"},
		{"シリコン型で注型して20個", "真空注型"},
		{"プリント基板に部品を実装してほしい", "基板実装"},
		{"センサ回路の設計をお願いしたい", "電子回路設計"},
		{"装置内のケーブルハーネスを作ってほしい", "ハーネス加工"},
		{"マイコンのファームを開発してほしい", "組込みソフトウェア"},
		{"PLCの制御盤を製作", "制御盤製作"},
		{"ユニットの組付けを外注したい", "組立"},
		{"装置の設計を外注したい", "機械設計"},
		{"一品ものの試作品製作", "試作"},
		{"三次元測定機で寸法を測ってほしい", "検査・測定"},
		{"溶接用のジグを作ってほしい", "治具製作"},
		{"組立ラインの自動化装置", "省力化装置・FA"},
		{"部品の超音波洗浄をお願いしたい", "精密洗浄"},
		{"引張コイルばねを作ってほしい", "ばね製造"},
		{"平歯車をホブで切ってほしい", "歯車加工"},
		{"石英ガラスの穴あけ", "ガラス・セラミックス加工"},
		{"レンズの研磨をお願いしたい", "光学部品加工"},
		{"接着剤の受託製造", "化学品製造"},
		{"We need CNC turning of brass parts", "旋盤加工"},
		{"Looking for powder coating of steel frames", "塗装"},
		{"We need wire harness assembly", "ハーネス加工"},
		{"Need precision grinding of hardened shafts", "研削加工"},
		{"We are looking for a die casting supplier", "ダイカスト"},
		{"Custom springs, compression type", "ばね製造"},
		{"We need vacuum heat treatment", "熱処理"},
		{"Looking for injection molding with insert molding", "樹脂射出成形"},
		{"Need ultrasonic cleaning of vacuum parts", "精密洗浄"},
	}
	bad := 0
	for _, c := range cases {
		a := an.understand(Query{Kind: KindRFQ, Text: c[0]}, "")
		var got []string
		for _, id := range a.core {
			got = append(got, baseVocab.concepts[id].label)
		}
		ok := false
		for _, want := range strings.Split(c[1], "|") {
			for _, g := range got {
				if g == want {
					ok = true
				}
			}
		}
		if !ok {
			bad++
			t.Errorf("%s → want process %s, got %v", c[0], c[1], got)
		}
	}
	t.Logf("%d/%d ok", len(cases)-bad, len(cases))
}
